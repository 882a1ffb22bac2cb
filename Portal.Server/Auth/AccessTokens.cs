namespace Portal.Server.Auth;

/// <summary>Who an access token speaks for, once validated (signature, expiry, token_use, revocation, global sign-out).</summary>
public sealed record AccessTokenPrincipal(
    string UserPoolId, string ClientId, string Sub, string Username, IReadOnlyList<string> Scopes, string OriginJti, DateTimeOffset IssuedAt);

/// <summary>Validates access tokens presented to the token-authorised operations (GetUser, ChangePassword, ...).</summary>
public interface IAccessTokens
{
    /// <summary>Throws NotAuthorizedException ("Invalid Access Token", "Access Token has expired",
    /// "Access Token has been revoked") when the token does not stand.</summary>
    Task<AccessTokenPrincipal> Validate(string? accessToken, CancellationToken ct);
}
