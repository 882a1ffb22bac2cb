using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

sealed class GlobalSignOut(IAccessTokens accessTokens, PortalDb db, TokenRevocation revocation)
    : IOperation<GlobalSignOutRequest, GlobalSignOutResponse>
{
    public async Task<GlobalSignOutResponse> Handle(GlobalSignOutRequest request, CancellationToken ct)
    {
        var token = await accessTokens.Validate(request.AccessToken, ct);
        if (!token.Scopes.Contains(Tokens.AdminScope)) throw NotAuthorizedException.MissingScopes();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == token.Sub && u.UserPoolId == token.UserPoolId, ct)
                   ?? throw UserNotFoundException.DoesNotExist();
        await revocation.SignOutEverywhere(user, ct);
        await db.SaveChangesAsync(ct);
        return new GlobalSignOutResponse();
    }
}
