using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ChangePassword(PortalDb db, SignedInUsers signedIn, Credentials credentials)
    : IOperation<ChangePasswordRequest, ChangePasswordResponse>
{
    public async Task<ChangePasswordResponse> Handle(ChangePasswordRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        if (string.IsNullOrEmpty(request.ProposedPassword))
            throw new InvalidParameterException("1 validation error detected: Value null at 'proposedPassword' failed to satisfy constraint: Member must not be null");
        PasswordPolicy.Check(me.Pool.Settings.Policies?.PasswordPolicy, request.ProposedPassword);
        if (request.PreviousPassword is null || !credentials.Verify(me.User, request.PreviousPassword))
            throw new NotAuthorizedException("Incorrect username or password.");
        credentials.SetPassword(me.Pool, me.User, request.ProposedPassword);
        await db.SaveChangesAsync(ct);
        return new ChangePasswordResponse();
    }
}
