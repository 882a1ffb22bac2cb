using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

sealed class GetUser(IAccessTokens accessTokens, PortalDb db, AppClientStore clients)
    : IOperation<GetUserRequest, GetUserResponse>
{
    public async Task<GetUserResponse> Handle(GetUserRequest request, CancellationToken ct)
    {
        var token = await accessTokens.Validate(request.AccessToken, ct);
        if (!token.Scopes.Contains(Tokens.AdminScope)) throw NotAuthorizedException.MissingScopes();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == token.Sub && u.UserPoolId == token.UserPoolId, ct)
                   ?? throw UserNotFoundException.DoesNotExist();
        if (user.Status == UserStatus.ResetRequired) throw PasswordResetRequiredException.ForUser();
        // The user sees the attributes the client they signed in through may read.
        var client = await clients.Find(token.ClientId, ct);
        var readable = client?.Settings.ReadAttributes is { Count: > 0 } read ? read.Append("sub").ToHashSet() : null;
        var (enabled, preferred) = UserStore.Mfa(user);
        return new GetUserResponse
        {
            Username = user.Username,
            UserAttributes = UserStore.AttributeList(user, readable),
            MFAOptions = UserStore.MfaOptions(user),
            PreferredMfaSetting = preferred,
            UserMFASettingList = enabled.Count > 0 ? enabled : null,
        };
    }
}
