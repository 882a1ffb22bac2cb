using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.SelfService.Operations;

sealed class DeleteUser(PortalDb db, SignedInUsers signedIn)
    : IOperation<DeleteUserRequest, DeleteUserResponse>
{
    public async Task<DeleteUserResponse> Handle(DeleteUserRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        // Codes, group memberships and linked identities go with the user (cascade); refresh tokens have no key to it.
        db.RefreshTokens.RemoveRange(await db.RefreshTokens.Where(t => t.UserSub == me.User.Sub).ToListAsync(ct));
        db.Users.Remove(me.User);
        await db.SaveChangesAsync(ct);
        return new DeleteUserResponse();
    }
}
