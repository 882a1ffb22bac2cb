using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>What a set of tokens is issued for: a user of a pool, signed in through an app client at <see cref="AuthTime"/>,
/// with the scopes of the access token (API sign-in: only <see cref="Tokens.AdminScope"/>).</summary>
public sealed record TokenGrant(UserPoolStore.Pool Pool, AppClientStore.Client Client, UserRow User, DateTimeOffset AuthTime, IReadOnlyList<string> Scopes)
{
    /// <summary>The OpenID Connect nonce of the authorization request, echoed in the ID token.</summary>
    public string? Nonce { get; init; }

    /// <summary>Issued by the OAuth endpoints (authorize, token), where the scopes are the ones the app asked for.</summary>
    public bool OAuth { get; init; }

    /// <summary>API sign-in and OpenID Connect sign-in get an ID token; an OAuth grant without openid does not, even with
    /// aws.cognito.signin.user.admin.</summary>
    public bool IncludesIdToken => Scopes.Contains("openid") || (!OAuth && Scopes.Contains(Tokens.AdminScope));

    public bool IsApiSignIn => Scopes.Count == 1 && Scopes[0] == Tokens.AdminScope;

    /// <summary>The pre token generation trigger source (TokenGeneration_Authentication, _HostedAuth, _NewPasswordChallenge,
    /// _RefreshTokens, ...); by default Authentication for API sign-in and HostedAuth otherwise.</summary>
    public string? TriggerSource { get; init; }

    /// <summary>The caller's ClientMetadata, passed to the pre token generation trigger.</summary>
    public IReadOnlyDictionary<string, string>? ClientMetadata { get; init; }

    /// <summary>The family (origin_jti) of a new sign-in decided beforehand (an authorization code's), or null for a fresh one.</summary>
    public string? OriginJti { get; init; }
}

/// <summary>
/// Mints Cognito's tokens: RS256 ID and access tokens with Cognito's claims, signed with the pool's current key, and an
/// opaque refresh token kept only as a SHA-256 hash. Every token of one sign-in shares its origin_jti, the family that
/// RevokeToken and global sign-out kill. The pool's pre token generation trigger may add, override or suppress claims,
/// groups and (V2) access-token scopes. The caller's SaveChanges stores what is issued.
/// </summary>
public sealed class Tokens(PortalDb db, SigningKeys keys, Issuer issuer, UserTriggers triggers, UserPoolStore pools, TokenRevocation revocation,
    AuthEvents events, IOptions<RefreshTokenOptions> options, TimeProvider clock)
{
    // Claims Cognito does not let pre token generation change.
    static readonly HashSet<string> Reserved =
    [
        "acr", "amr", "aud", "at_hash", "auth_time", "azp", "c_hash", "client_id", "cognito:username", "event_id", "exp", "iat",
        "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "scope", "sub", "token_use", "username", "version",
        "cognito:groups", "cognito:roles", "cognito:preferred_role",
    ];

    /// <summary>The scope of tokens from the API flows, the one the user's own operations (GetUser, ...) require.</summary>
    public const string AdminScope = "aws.cognito.signin.user.admin";

    /// <summary>A new sign-in: ID, access and refresh token of a new family.</summary>
    public async Task<AuthenticationResultType> Issue(TokenGrant grant, CancellationToken ct)
    {
        var originJti = grant.OriginJti ?? Guid.NewGuid().ToString();
        var refreshToken = NewRefreshToken(grant, originJti);
        var result = await Mint(grant, originJti, ct);
        return result with { RefreshToken = refreshToken };
    }

    /// <summary>Every refresh (GetTokensFromRefreshToken, REFRESH_TOKEN_AUTH, the refresh_token grant): new ID and access
    /// tokens in the refresh token's family; with the client's refresh token rotation on, also a new refresh token, the old
    /// one staying usable for the client's grace period.</summary>
    public async Task<AuthenticationResultType> Renew(TokenGrant grant, RefreshTokenRow used, CancellationToken ct)
    {
        var result = await Mint(grant with { TriggerSource = grant.TriggerSource ?? "TokenGeneration_RefreshTokens" }, used.OriginJti, ct);
        if (!Rotates(grant.Client)) return result;
        var now = clock.GetUtcNow();
        var grace = TimeSpan.FromSeconds(grant.Client.Settings.RefreshTokenRotation!.RetryGracePeriodSeconds ?? 0);
        var graceEnds = now + grace;
        // Used once, decided by the database: of two concurrent refreshes only one rotates; the other is a retry or reuse.
        var rotated = await db.RefreshTokens
            .Where(r => r.TokenHash == used.TokenHash && r.RotatedAt == null && (r.RevokedAt == null || r.RevokedAt > now))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.RotatedAt, now).SetProperty(r => r.RevokedAt, graceEnds), ct);
        // Without a grace period, losing the race is reuse whatever the two clocks read.
        if (rotated == 0 && (grace == TimeSpan.Zero || await RotatedOutAt(used.TokenHash, now, ct))) await RefuseReuse(used, ct);
        // The new refresh token lives as long as the one it replaces, as Cognito does: rotation never extends a session.
        return result with { RefreshToken = NewRefreshToken(grant, used.OriginJti, used.ExpiresAt) };
    }

    /// <summary>Whether the client hands out a new refresh token at every refresh.</summary>
    public static bool Rotates(AppClientStore.Client client) => client.Settings.RefreshTokenRotation is { Feature: "ENABLED" };

    /// <summary>The stored row of a refresh token (revoked or not), or null when Portal never issued it.</summary>
    public Task<RefreshTokenRow?> FindRefreshToken(string? refreshToken, CancellationToken ct) =>
        string.IsNullOrEmpty(refreshToken)
            ? Task.FromResult<RefreshTokenRow?>(null)
            : db.RefreshTokens.FirstOrDefaultAsync(r => r.TokenHash == Hash(refreshToken), ct);

    /// <summary>A refresh token that this client may still use, with its user; NotAuthorizedException (or
    /// PasswordResetRequiredException) as Cognito answers otherwise. Both the API and the OAuth token endpoint go through here.</summary>
    public async Task<(RefreshTokenRow Row, UserRow User)> Live(string refreshToken, string clientId, CancellationToken ct)
    {
        // The token, whether its family was revoked and its user, in one query (every refresh pays for it).
        var hash = Hash(refreshToken);
        var found = await (
            from r in db.RefreshTokens
            where r.TokenHash == hash
            join u in db.Users on new { Sub = r.UserSub, r.UserPoolId } equals new { u.Sub, u.UserPoolId } into users
            from u in users.DefaultIfEmpty()
            select new { Row = r, User = u, FamilyRevoked = db.RevokedTokens.Any(x => x.OriginJti == r.OriginJti) }).FirstOrDefaultAsync(ct);
        var row = found?.Row;
        if (row is null || row.ClientId != clientId) throw new NotAuthorizedException("Invalid Refresh Token");
        var now = clock.GetUtcNow();
        if (row.RotatedAt is not null && row.RevokedAt <= now) await RefuseReuse(row, ct);
        if (row.RevokedAt <= now) throw NotAuthorizedException.RefreshTokenRevoked();
        // A family revoked while this token was being stored (a replayed authorization code) is dead too.
        if (found!.FamilyRevoked) throw NotAuthorizedException.RefreshTokenRevoked();
        if (row.ExpiresAt <= now) throw new NotAuthorizedException("Refresh Token has expired");
        var user = found.User ?? throw NotAuthorizedException.RefreshTokenRevoked();
        if (user.TokensValidAfter is { } after && row.IssuedAt < after) throw NotAuthorizedException.RefreshTokenRevoked();
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        if (user.Status == UserStatus.ResetRequired) throw PasswordResetRequiredException.ForUser();
        return (row, user);
    }

    /// <summary>Whether the token was rotated out and its grace period is over (read again: a concurrent refresh rotated it).</summary>
    async Task<bool> RotatedOutAt(string tokenHash, DateTimeOffset now, CancellationToken ct) =>
        await db.RefreshTokens.AnyAsync(r => r.TokenHash == tokenHash && r.RotatedAt != null && r.RevokedAt <= now, ct);

    /// <summary>A rotated refresh token used after its grace period: a copy is in someone else's hands (OAuth 2.0 Security
    /// BCP), so the attempt is recorded and, unless configured otherwise, every token of its family dies.</summary>
    async Task RefuseReuse(RefreshTokenRow row, CancellationToken ct)
    {
        // Durable: the operation fails, the record of the reuse and the family's revocation stay.
        await db.Work.Durably(async c =>
        {
            db.ChangeTracker.Clear();
            var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub && u.UserPoolId == row.UserPoolId, c);
            if (user is not null && await pools.Find(row.UserPoolId, c) is { } pool) events.Add(pool, user, "SignIn", "Fail", row.ClientId);
            if (options.Value.RevokeFamilyOnReuse) await revocation.RevokeFamily(row.OriginJti, c);
            await db.SaveChangesAsync(c);
        }, ct);
        throw new RefreshTokenReuseException("Refresh token has been rotated and can no longer be used.");
    }

    /// <summary>The scopes a refresh token was issued with (carried in the token itself, covered by its hash).</summary>
    public static IReadOnlyList<string> ScopesOf(string refreshToken)
    {
        var dot = refreshToken.IndexOf('.');
        if (dot < 0) return [AdminScope];
        try
        {
            return Encoding.UTF8.GetString(Jwt.FromBase64Url(refreshToken[(dot + 1)..])).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static TimeSpan IdTokenValidity(UserPoolClientType c) => Validity(c.IdTokenValidity, c.TokenValidityUnits?.IdToken ?? "minutes", TimeSpan.FromHours(1));
    public static TimeSpan AccessTokenValidity(UserPoolClientType c) => Validity(c.AccessTokenValidity, c.TokenValidityUnits?.AccessToken ?? "minutes", TimeSpan.FromHours(1));
    public static TimeSpan RefreshTokenValidity(UserPoolClientType c) => Validity(c.RefreshTokenValidity, c.TokenValidityUnits?.RefreshToken ?? "days", TimeSpan.FromDays(30));

    static TimeSpan Validity(int? value, string unit, TimeSpan fallback) => value is null or <= 0 ? fallback : unit switch
    {
        "seconds" => TimeSpan.FromSeconds(value.Value),
        "minutes" => TimeSpan.FromMinutes(value.Value),
        "hours" => TimeSpan.FromHours(value.Value),
        _ => TimeSpan.FromDays(value.Value),
    };

    string NewRefreshToken(TokenGrant grant, string originJti, DateTimeOffset? expiresAt = null)
    {
        var token = Jwt.Base64Url(RandomNumberGenerator.GetBytes(48));
        if (!grant.IsApiSignIn) token += "." + Jwt.Base64Url(Encoding.UTF8.GetBytes(string.Join(' ', grant.Scopes)));
        var now = clock.GetUtcNow();
        db.RefreshTokens.Add(new RefreshTokenRow
        {
            TokenHash = Hash(token), UserPoolId = grant.Pool.Row.Id, ClientId = grant.Client.Row.ClientId, UserSub = grant.User.Sub,
            OriginJti = originJti,
            // The family's auth time, so global sign-out can tell sign-ins apart within one second.
            IssuedAt = grant.AuthTime,
            ExpiresAt = expiresAt ?? now + RefreshTokenValidity(grant.Client.Settings),
        });
        return token;
    }

    async Task<AuthenticationResultType> Mint(TokenGrant grant, string originJti, CancellationToken ct)
    {
        var key = await keys.Current(grant.Pool.Row.Id, ct);
        var now = clock.GetUtcNow();
        var iat = now.ToUnixTimeSeconds();
        var authTime = grant.AuthTime.ToUnixTimeSeconds();
        var eventId = Guid.NewGuid().ToString();
        var iss = issuer.For(grant.Pool.Row.Id);
        var user = grant.User;
        var settings = grant.Client.Settings;
        var groups = await Groups(user, ct);
        var accessValidity = AccessTokenValidity(settings);
        var source = grant.TriggerSource ?? (grant.IsApiSignIn ? "TokenGeneration_Authentication" : "TokenGeneration_HostedAuth");
        var overrides = await triggers.PreTokenGeneration(grant.Pool, source, user, grant.Client.Row.ClientId, groups, grant.Scopes,
            grant.ClientMetadata, ct);
        var groupNames = overrides?.GroupsToOverride ?? groups.Select(g => g.GroupName).ToList();
        var scopes = grant.Scopes.Where(s => overrides?.ScopesToSuppress.Contains(s) != true)
            .Concat(overrides?.ScopesToAdd ?? []).Distinct().ToList();

        var access = new JsonObject { ["sub"] = user.Sub };
        if (groupNames.Count > 0) access["cognito:groups"] = new JsonArray(groupNames.Select(g => (JsonNode)g).ToArray());
        access["iss"] = iss;
        if (!grant.IsApiSignIn) access["version"] = 2;
        access["client_id"] = grant.Client.Row.ClientId;
        access["origin_jti"] = originJti;
        access["event_id"] = eventId;
        access["token_use"] = "access";
        access["scope"] = string.Join(' ', scopes);
        access["auth_time"] = authTime;
        access["exp"] = (now + accessValidity).ToUnixTimeSeconds();
        access["iat"] = iat;
        access["jti"] = Guid.NewGuid().ToString();
        access["username"] = user.Username;
        if (overrides is not null) Apply(access, overrides.AccessClaimsToAddOrOverride, overrides.AccessClaimsToSuppress);

        using var signer = key.Rent();
        var result = new AuthenticationResultType
        {
            AccessToken = Jwt.Sign(signer.Rsa, key.Kid, access),
            ExpiresIn = (int)accessValidity.TotalSeconds,
            TokenType = "Bearer",
        };
        if (!grant.IncludesIdToken) return result;

        var id = new JsonObject { ["sub"] = user.Sub };
        if (groupNames.Count > 0) id["cognito:groups"] = new JsonArray(groupNames.Select(g => (JsonNode)g).ToArray());
        var roles = overrides?.IamRolesToOverride
                    ?? (overrides?.GroupsToOverride is null ? groups.Where(g => !string.IsNullOrEmpty(g.RoleArn)).Select(g => g.RoleArn!).Distinct().ToList() : []);
        var preferred = overrides?.PreferredRole ?? roles.FirstOrDefault();
        if (preferred is not null) id["cognito:preferred_role"] = preferred;
        if (roles.Count > 0) id["cognito:roles"] = new JsonArray(roles.Select(r => (JsonNode)r).ToArray());
        foreach (var (name, value) in ReadableAttributes(user, settings)) id[name] = AttributeClaim(name, value);
        id["iss"] = iss;
        id["cognito:username"] = user.Username;
        if (grant.Nonce is not null) id["nonce"] = grant.Nonce;
        id["origin_jti"] = originJti;
        id["aud"] = grant.Client.Row.ClientId;
        id["event_id"] = eventId;
        id["token_use"] = "id";
        id["auth_time"] = authTime;
        id["exp"] = (now + IdTokenValidity(settings)).ToUnixTimeSeconds();
        id["iat"] = iat;
        id["jti"] = Guid.NewGuid().ToString();
        if (overrides is not null) Apply(id, overrides.IdClaimsToAddOrOverride, overrides.IdClaimsToSuppress);
        return result with { IdToken = Jwt.Sign(signer.Rsa, key.Kid, id) };
    }

    /// <summary>A token's claims after pre token generation: added or overridden, then suppressed; reserved claims stay.</summary>
    public static void Apply(JsonObject token, JsonObject add, List<string> suppress)
    {
        foreach (var (name, value) in add)
            if (!Reserved.Contains(name)) token[name] = value?.DeepClone();
        foreach (var name in suppress)
            if (!Reserved.Contains(name)) token.Remove(name);
    }

    /// <summary>The user's groups, highest precedence (lowest number) first, as cognito:groups lists them.</summary>
    async Task<List<GroupRow>> Groups(UserRow user, CancellationToken ct)
    {
        var groups = await HotQueries.ToList(HotQueries.For(db).GroupsOf(db, user.UserPoolId, user.Sub), ct);
        return groups.OrderBy(g => g.Precedence ?? int.MaxValue).ThenBy(g => g.GroupName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The attributes the client may read (its ReadAttributes, or all), without sub (a claim of its own) and the
    /// developer-only dev: ones.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ReadableAttributes(UserRow user, UserPoolClientType client)
    {
        var readable = client.ReadAttributes is { Count: > 0 } list ? list.ToHashSet() : null;
        return UserStore.Attributes(user).Where(a => a.Key != "sub" && !a.Key.StartsWith("dev:", StringComparison.Ordinal)
                                                     && (readable is null || readable.Contains(a.Key)));
    }

    /// <summary>Claims typed as Cognito types them: verification flags are booleans, updated_at a number, address and
    /// identities JSON.</summary>
    static JsonNode AttributeClaim(string name, string value) => name switch
    {
        "email_verified" or "phone_number_verified" => value == "true",
        "updated_at" when long.TryParse(value, out var n) => n,
        "address" => new JsonObject { ["formatted"] = value },
        "identities" => Json(value) ?? value,
        _ => value,
    };

    static JsonNode? Json(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>Portal:RefreshTokens: what happens beyond Cognito when a rotated refresh token comes back.</summary>
public sealed class RefreshTokenOptions
{
    /// <summary>A rotated refresh token used after its grace period revokes its whole family (on by default).</summary>
    public bool RevokeFamilyOnReuse { get; set; } = true;
}
