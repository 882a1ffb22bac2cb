using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>Tokens as the OAuth endpoints hand them out.</summary>
public sealed record IssuedTokens(string? IdToken, string AccessToken, string? RefreshToken, int ExpiresIn);

/// <summary>What the hosted UI and the OAuth endpoints need from the token service.</summary>
public interface IOAuthTokens
{
    /// <summary>ID token (when <paramref name="scopes"/> has openid), access token with those scopes, and a refresh token when asked;
    /// all of the family <paramref name="originJti"/> (an authorization code's) or of a new one.</summary>
    Task<IssuedTokens> ForUser(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, IReadOnlyList<string> scopes,
        string? nonce, DateTimeOffset authTime, bool withRefreshToken, string? originJti, CancellationToken ct);

    /// <summary>client_credentials: an access token for the client itself with resource-server scopes.</summary>
    Task<IssuedTokens> ForClient(UserPoolStore.Pool pool, AppClientStore.Client client, IReadOnlyList<string> scopes, CancellationToken ct);

    /// <summary>refresh_token grant; throws NotAuthorizedException when the refresh token does not stand.</summary>
    Task<IssuedTokens> Refresh(UserPoolStore.Pool pool, AppClientStore.Client client, string refreshToken, CancellationToken ct);

    /// <summary>RFC 7009 revocation of a refresh token (and the access tokens of its family); UnauthorizedException when the
    /// token belongs to another client, UnsupportedTokenTypeException when it is not a refresh token.</summary>
    Task Revoke(AppClientStore.Client client, string refreshToken, CancellationToken ct);
}
