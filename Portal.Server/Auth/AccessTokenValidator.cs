using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>
/// <see cref="IAccessTokens"/> for the token-authorised operations: the signature with one of the pool's published keys,
/// token_use access, expiry, the family not revoked, issued after the user's last global sign-out, and the user
/// still there and enabled.
/// </summary>
public sealed class AccessTokenValidator(PortalDb db, SigningKeys keys, TokenRevocation revocation, TimeProvider clock,
    Testing.PoolClocks clocks) : IAccessTokens
{
    public async Task<AccessTokenPrincipal> Validate(string? accessToken, CancellationToken ct)
    {
        if (!Jwt.TryRead(accessToken, out var jwt) || jwt.Kid is not { } kid || jwt.Alg != "RS256")
            throw Invalid();
        // The issuer's last path segment names the pool; its base may differ by the host the client used.
        var iss = jwt.String("iss");
        var poolId = iss?[(iss.LastIndexOf('/') + 1)..];
        if (string.IsNullOrEmpty(poolId)) throw Invalid();
        await clocks.Enter(db, poolId, ct);
        var key = await keys.Find(poolId, kid, ct) ?? throw Invalid();
        using (var rsa = key.Create())
            if (!Jwt.Verify(rsa, jwt)) throw Invalid();

        if (jwt.String("token_use") != "access") throw Invalid();
        var sub = jwt.String("sub");
        var clientId = jwt.String("client_id");
        var username = jwt.String("username");
        var originJti = jwt.String("origin_jti");
        if (sub is null || clientId is null || username is null || originJti is null
            || jwt.Number("exp") is not { } exp || jwt.Number("iat") is not { } iat)
            throw Invalid();
        if (DateTimeOffset.FromUnixTimeSeconds(exp) <= clock.GetUtcNow()) throw new NotAuthorizedException("Access Token has expired");
        if (await revocation.IsRevoked(originJti, ct)) throw Revoked();

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == sub && u.UserPoolId == poolId, ct)
                   ?? throw UserNotFoundException.DoesNotExist();
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (await revocation.SignedOut(user, iat, originJti, ct)) throw Revoked();

        var scopes = (jwt.String("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new AccessTokenPrincipal(poolId, clientId, sub, username, scopes, originJti, issuedAt);
    }

    static NotAuthorizedException Invalid() => new("Invalid Access Token");
    static NotAuthorizedException Revoked() => new("Access Token has been revoked");
}
