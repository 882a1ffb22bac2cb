using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService;

/// <summary>The user an access token speaks for, with their pool and the client the token was issued to.</summary>
public sealed record SignedIn(UserPoolStore.Pool Pool, UserRow User, AccessTokenPrincipal Token, AppClientStore.Client? Client);

/// <summary>Resolves the access token of the token-authorised operations (ChangePassword, UpdateUserAttributes, ...).</summary>
public sealed class SignedInUsers(IAccessTokens tokens, UserPoolStore pools, AppClientStore clients, PortalDb db)
{
    /// <summary>The scope Cognito requires for a user to manage their own account.</summary>
    public const string AdminScope = "aws.cognito.signin.user.admin";

    public async Task<SignedIn> Get(string? accessToken, CancellationToken ct)
    {
        var token = await tokens.Validate(accessToken, ct);
        if (!token.Scopes.Contains(AdminScope)) throw NotAuthorizedException.MissingScopes();
        var pool = await pools.Get(token.UserPoolId, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == token.Sub && u.UserPoolId == pool.Row.Id, ct)
                   ?? throw UserNotFoundException.DoesNotExist();
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        if (user.Status == UserStatus.ResetRequired) throw PasswordResetRequiredException.ForUser();
        return new SignedIn(pool, user, token, await clients.Find(token.ClientId, ct));
    }
}
