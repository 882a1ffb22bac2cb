using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The OAuth endpoints' tokens, minted by the same <see cref="Tokens"/> as the API flows.</summary>
public sealed class OAuthTokenService(PortalDb db, Tokens tokens, TokenRevocation revocation, SigningKeys keys, Issuer issuer,
    Triggers.UserTriggers triggers, TimeProvider clock)
    : IOAuthTokens
{
    public async Task<IssuedTokens> ForUser(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, IReadOnlyList<string> scopes,
        string? nonce, DateTimeOffset authTime, bool withRefreshToken, string? originJti, CancellationToken ct)
    {
        var result = await tokens.Issue(new TokenGrant(pool, client, user, authTime, scopes) { Nonce = nonce, OriginJti = originJti, OAuth = true }, ct);
        if (!withRefreshToken)
        {
            // The implicit flow gets no refresh token: drop the one Issue added to the unit of work.
            foreach (var entry in db.ChangeTracker.Entries<RefreshTokenRow>().Where(e => e.State == EntityState.Added).ToList())
                entry.State = EntityState.Detached;
        }
        await db.SaveChangesAsync(ct);
        return new IssuedTokens(result.IdToken, result.AccessToken!, withRefreshToken ? result.RefreshToken : null, result.ExpiresIn ?? 3600);
    }

    public async Task<IssuedTokens> ForClient(UserPoolStore.Pool pool, AppClientStore.Client client, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        // A V3_0 pre token generation function sees machine-to-machine tokens too (TokenGeneration_ClientCredentials).
        var overrides = await triggers.PreTokenGenerationForClient(pool, client.Row.ClientId, scopes, ct);
        if (overrides is not null)
            scopes = scopes.Where(s => !overrides.ScopesToSuppress.Contains(s)).Concat(overrides.ScopesToAdd).Distinct().ToList();
        var key = await keys.Current(pool.Row.Id, ct);
        var now = clock.GetUtcNow();
        var validity = Tokens.AccessTokenValidity(client.Settings);
        // Machine-to-machine tokens speak for the client itself: sub is the client id, as in Cognito.
        var payload = new JsonObject
        {
            ["sub"] = client.Row.ClientId,
            ["token_use"] = "access",
            ["scope"] = string.Join(' ', scopes),
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["iss"] = issuer.For(pool.Row.Id),
            ["exp"] = (now + validity).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["version"] = 2,
            ["jti"] = Guid.NewGuid().ToString(),
            ["client_id"] = client.Row.ClientId,
        };
        if (overrides is not null) Tokens.Apply(payload, overrides.AccessClaimsToAddOrOverride, overrides.AccessClaimsToSuppress);
        string token;
        using (var signer = key.Rent())
            token = Jwt.Sign(signer.Rsa, key.Kid, payload);
        await db.SaveChangesAsync(ct); // a first signing key of the pool
        return new IssuedTokens(null, token, null, (int)validity.TotalSeconds);
    }

    public async Task<IssuedTokens> Refresh(UserPoolStore.Pool pool, AppClientStore.Client client, string refreshToken, CancellationToken ct)
    {
        try
        {
            var (row, user) = await tokens.Live(refreshToken, client.Row.ClientId, ct);
            var result = await tokens.Renew(new TokenGrant(pool, client, user, row.IssuedAt, Tokens.ScopesOf(refreshToken)), row, ct);
            await db.SaveChangesAsync(ct);
            return new IssuedTokens(result.IdToken, result.AccessToken!, result.RefreshToken, result.ExpiresIn ?? 3600);
        }
        catch (RefreshTokenReuseException e)
        {
            // The token endpoint answers every refused refresh token with invalid_grant.
            throw new NotAuthorizedException(e.Message);
        }
    }

    public async Task Revoke(AppClientStore.Client client, string refreshToken, CancellationToken ct)
    {
        var row = await tokens.FindRefreshToken(refreshToken, ct);
        // A JWT is an access or ID token, which Cognito does not revoke here; anything else is unknown (RFC 7009: 200).
        if (row is null)
            throw Jwt.TryRead(refreshToken, out _) ? new UnsupportedTokenTypeException("Only refresh tokens can be revoked.")
                : new NotAuthorizedException("Invalid Refresh Token");
        if (row.ClientId != client.Row.ClientId) throw new UnauthorizedException("The token was issued to another client.");
        await revocation.RevokeFamily(row.OriginJti, ct);
        await db.SaveChangesAsync(ct);
    }
}
