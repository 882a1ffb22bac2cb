using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.HostedUi;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Gateway.Alb;

/// <summary>An ALB listener rule's <c>authenticate-cognito</c> action: the pool, its app client (which must allow the code
/// flow with <c>{route URL}/oauth2/idpresponse</c> among its callback URLs), the scopes asked for, what to do with a
/// request without a session (<c>authenticate</c>: 302 to the hosted UI, <c>deny</c>: 401, <c>allow</c>: forward
/// without identity), the session cookie's name and the session's timeout in seconds (ALB's default: 7 days).</summary>
public sealed record AlbRouteSettings
{
    public string UserPoolId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Scope { get; set; } = "openid";
    public string OnUnauthenticatedRequest { get; set; } = "authenticate";
    public string SessionCookieName { get; set; } = AlbSessionCookies.DefaultName;
    public int SessionTimeout { get; set; } = 604800;
    /// <summary>The <c>signer</c> of x-amzn-oidc-data; by default an ALB ARN made from the route's name.</summary>
    public string? LoadBalancerArn { get; set; }
}

/// <summary>What the ALB action decided: answer the browser now (<see cref="Respond"/>: a redirect, a 401, the callback's
/// cookies), or forward with <see cref="Headers"/> (none for <c>allow</c> without a session). <see cref="SetCookies"/>
/// are the session cookies to add to the backend's answer (a session renewed with the refresh token, or ended).</summary>
public sealed record AlbOutcome(IResult? Respond, IReadOnlyList<KeyValuePair<string, string>> Headers, bool Allowed, string? Caller, string Reason)
{
    public IReadOnlyList<string> SetCookies { get; init; } = [];
}

/// <summary>
/// ALB's <c>authenticate-cognito</c> in front of a route: signs browsers in through the pool's hosted UI (authorization
/// code flow with state and nonce, callback <c>/oauth2/idpresponse</c> under the route), keeps the session in the sharded
/// <c>AWSELBAuthSessionCookie-N</c> cookies, and forwards <c>x-amzn-oidc-accesstoken</c>, <c>x-amzn-oidc-identity</c> (the
/// user's sub) and <c>x-amzn-oidc-data</c> (the userInfo claims as an ES256 JWT whose header carries kid, signer, iss,
/// client and exp, as ALB writes it). The code is redeemed in process, as the pool's token endpoint would.
/// </summary>
public sealed class AlbAuthenticator(PortalDb db, UserPoolStore pools, AppClientStore clients, HostedUiDomains domains,
    AuthorizationCodes codes, IOAuthTokens tokens, AlbSessionCookies sessions, AlbSigningKey signingKey, Issuer issuer,
    IOptions<PortalOptions> options, IDataProtectionProvider dataProtection, TimeProvider clock, ILogger<AlbAuthenticator> log)
{
    public const string CallbackPath = "/oauth2/idpresponse";
    public const string HeaderPrefix = "x-amzn-oidc-";
    public const string NonceCookie = "AWSELBAuthNonce";
    /// <summary>How long x-amzn-oidc-data is valid for the backend.</summary>
    static readonly TimeSpan DataLifetime = TimeSpan.FromMinutes(2);
    static readonly TimeSpan SignInLifetime = TimeSpan.FromMinutes(15);
    readonly IDataProtector stateProtector = dataProtection.CreateProtector("Portal.Gateway.AlbState");

    sealed record SignInState(string Route, string ReturnTo, string Nonce, DateTimeOffset ExpiresAt);

    /// <summary>The <c>signer</c> ARN of the route's x-amzn-oidc-data.</summary>
    public string SignerArn(string route, AlbRouteSettings settings) => settings.LoadBalancerArn
        ?? $"arn:aws:elasticloadbalancing:{options.Value.Region}:{options.Value.AccountId}:loadbalancer/app/{Slug(route)}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(route)))[..16]}";

    /// <param name="route">The route's name (sessions are bound to it).</param>
    /// <param name="prefix">The route's path prefix (<c>/apps/notes</c>, or empty), where the callback and the cookies live.</param>
    /// <param name="baseUrl">Where the route is reached (Portal's public URL, or the route's configured host), without the prefix.</param>
    public async Task<AlbOutcome> Handle(HttpContext http, string route, string prefix, AlbRouteSettings settings, string baseUrl, CancellationToken ct)
    {
        prefix = prefix.TrimEnd('/');
        baseUrl = baseUrl.TrimEnd('/');
        var cookie = CookieOptions(prefix, baseUrl);
        var path = http.Request.Path.Value ?? "/";
        if (string.Equals(path, prefix + CallbackPath, StringComparison.Ordinal))
            return await Callback(http, route, prefix, baseUrl, settings, cookie, ct);

        var session = sessions.Unprotect(AlbSessionCookies.Read(http.Request.Cookies, settings.SessionCookieName), route);
        var why = "no session";
        IReadOnlyList<string> setCookies = [];
        if (session is { AccessTokenExpiresAt: { } accessEnds } && accessEnds <= clock.GetUtcNow())
        {
            // As ALB: the access token has expired within the session, so the route renews it with the refresh token; when
            // that fails (revoked, expired, user gone) the session ends and the request is one without a session.
            var (renewed, elsewhere) = await RenewOnce(session, settings);
            if (elsewhere)
                return new AlbOutcome(null, await Headers(session, route, settings, ct), true, session.Sub,
                    "session; its access token is being renewed by another instance");
            var scratch = new DefaultHttpContext();
            scratch.Request.Headers.Cookie = http.Request.Headers.Cookie;
            if (renewed is not null && AlbSessionCookies.Write(scratch, settings.SessionCookieName, sessions.Protect(renewed),
                    new CookieOptions(cookie) { MaxAge = renewed.ExpiresAt - clock.GetUtcNow() }))
            {
                setCookies = scratch.Response.Headers.SetCookie.Select(v => v ?? "").ToList();
                return new AlbOutcome(null, await Headers(renewed, route, settings, ct), true, renewed.Sub, "session; access token renewed with the refresh token")
                {
                    SetCookies = setCookies,
                };
            }
            AlbSessionCookies.Clear(scratch, settings.SessionCookieName, cookie);
            setCookies = scratch.Response.Headers.SetCookie.Select(v => v ?? "").ToList();
            session = null;
            why = "the access token expired and the refresh token was refused";
        }
        if (session is not null)
            return new AlbOutcome(null, await Headers(session, route, settings, ct), true, session.Sub, "session");

        switch (settings.OnUnauthenticatedRequest.ToLowerInvariant())
        {
            case "allow":
                return new AlbOutcome(null, [], true, null, why + "; on-unauthenticated-request allow") { SetCookies = setCookies };
            case "deny":
                return new AlbOutcome(Unauthorized(), [], false, null, why + "; on-unauthenticated-request deny") { SetCookies = setCookies };
        }
        var domain = await domains.DomainOf(settings.UserPoolId, ct);
        if (domain is null)
        {
            log.LogWarning("ALB route {Route}: pool {Pool} has no hosted-UI domain to sign in at", route, settings.UserPoolId);
            return new AlbOutcome(Unauthorized(), [], false, null, "the pool has no hosted-UI domain");
        }
        var nonce = Auth.Jwt.Base64Url(RandomNumberGenerator.GetBytes(24));
        var state = new SignInState(route, path + http.Request.QueryString, nonce, clock.GetUtcNow() + SignInLifetime);
        http.Response.Cookies.Append(NonceCookie, nonce, new CookieOptions(cookie) { MaxAge = SignInLifetime });
        var authorize = QueryHelpers.AddQueryString($"{options.Value.PublicBaseUrl}/{domain}/oauth2/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = RedirectUri(baseUrl, prefix),
            ["response_type"] = "code",
            ["scope"] = settings.Scope,
            ["state"] = Auth.Jwt.Base64Url(stateProtector.Protect(JsonSerializer.SerializeToUtf8Bytes(state))),
            ["nonce"] = nonce,
        });
        return new AlbOutcome(Results.Redirect(authorize), [], false, null, why + "; redirected to the hosted UI") { SetCookies = setCookies };
    }

    async Task<AlbOutcome> Callback(HttpContext http, string route, string prefix, string baseUrl, AlbRouteSettings settings, CookieOptions cookie, CancellationToken ct)
    {
        AlbOutcome Refuse(string why) => new(Unauthorized(), [], false, null, "sign-in refused: " + why);
        var query = http.Request.Query;
        if (query["error"].ToString() is { Length: > 0 } error) return Refuse($"the hosted UI answered {error}");
        SignInState? state;
        try
        {
            state = JsonSerializer.Deserialize<SignInState>(stateProtector.Unprotect(Auth.Jwt.FromBase64Url(query["state"].ToString())));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return Refuse("state is not one this route issued");
        }
        if (state is null || state.Route != route || state.ExpiresAt <= clock.GetUtcNow()) return Refuse("state is expired or of another route");
        // The nonce cookie ties the callback to the browser that started the sign-in (no login CSRF).
        if (!http.Request.Cookies.TryGetValue(NonceCookie, out var browserNonce)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(browserNonce), Encoding.ASCII.GetBytes(state.Nonce)))
            return Refuse("the nonce cookie does not match the state");

        var pool = await pools.Find(settings.UserPoolId, ct);
        var client = await clients.Find(settings.ClientId, ct);
        if (pool is null || client is null || client.Row.UserPoolId != pool.Row.Id) return Refuse("the route's pool or app client does not exist");
        var (row, problem) = await codes.Redeem(query["code"], client.Row.ClientId, RedirectUri(baseUrl, prefix), null, ct);
        if (row is null) return Refuse(problem!);
        if (row.Nonce != state.Nonce) return Refuse("the code was issued for another nonce");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub && u.UserPoolId == pool.Row.Id, ct);
        if (user is null || !user.Enabled) return Refuse("the user no longer exists or is disabled");
        var scopes = row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        IssuedTokens issued;
        try
        {
            issued = await tokens.ForUser(pool, client, user, scopes, row.Nonce, row.AuthTime, withRefreshToken: true, row.OriginJti, ct);
        }
        catch (CognitoException e)
        {
            // A pre token generation trigger refused or failed: as the token endpoint, no tokens.
            return Refuse(e.Message);
        }

        var now = clock.GetUtcNow();
        // The session lasts the route's session timeout (ALB's default: 7 days); the access token is renewed with the
        // refresh token when it expires within it. Without a refresh token the session cannot outlive its access token.
        var accessEnds = now.AddSeconds(issued.ExpiresIn);
        var expires = now.AddSeconds(Math.Max(1, settings.SessionTimeout));
        if (issued.RefreshToken is null) expires = Min(expires, accessEnds);
        var session = new AlbSession(route, user.Sub, UserInfo(user, scopes).ToJsonString(), issued.AccessToken, expires, issued.RefreshToken, accessEnds);
        if (!AlbSessionCookies.Write(http, settings.SessionCookieName, sessions.Protect(session), new CookieOptions(cookie) { MaxAge = expires - now }))
            return Refuse("the session is larger than four cookie shards");
        http.Response.Cookies.Delete(NonceCookie, cookie);
        var returnTo = state.ReturnTo.StartsWith(prefix + "/", StringComparison.Ordinal) || state.ReturnTo == prefix ? state.ReturnTo : prefix + "/";
        return new AlbOutcome(Results.Redirect(returnTo), [], true, user.Sub, "signed in through the hosted UI");
    }

    /// <summary>Renewals under way on this instance, by the SHA-256 of the refresh token they use.</summary>
    static readonly ConcurrentDictionary<string, Task<(AlbSession? Session, bool Elsewhere)>> Renewing = new(StringComparer.Ordinal);

    /// <summary>Renewals done on this instance, kept for <see cref="RenewedKeptFor"/>: a request that still carries the old
    /// session (sent before the browser had the renewed cookie) gets the renewed session instead of using the refresh
    /// token a second time.</summary>
    static readonly ConcurrentDictionary<string, (AlbSession? Session, DateTimeOffset Until)> Renewed = new(StringComparer.Ordinal);

    static readonly TimeSpan RenewedKeptFor = TimeSpan.FromMinutes(2);
    const int MaxRenewedKept = 10_000;

    /// <summary>
    /// Renews a session at most once, however many of its requests arrive together: with refresh token rotation and no
    /// grace period a refresh token used twice is reuse and its whole family is revoked, so the browser's parallel
    /// requests (a page and its images) must not each renew. On this instance, concurrent renewals of one session share
    /// one refresh (and its result, for <see cref="RenewedKeptFor"/>); across instances the first to store the guard row
    /// <c>alb-renew:{hash}</c> (a unique key in ReplayGuards) renews, and the others forward the request with the session
    /// as it is (<paramref name="session"/>'s claims, no new cookie: the browser gets the renewed one from the winner's
    /// answer). Returns the renewed session, or null when the refresh token was refused.
    /// </summary>
    async Task<(AlbSession? Session, bool Elsewhere)> RenewOnce(AlbSession session, AlbRouteSettings settings)
    {
        if (session.RefreshToken is null) return (null, false);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session.RefreshToken)));
        var now = clock.GetUtcNow();
        if (Renewed.TryGetValue(key, out var done) && done.Until > now) return (done.Session, false);
        var mine = new TaskCompletionSource<(AlbSession? Session, bool Elsewhere)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Renewing.GetOrAdd(key, mine.Task);
        if (running != mine.Task) return await running;
        try
        {
            // The shared renewal is not tied to the request that happened to start it (the others wait on it).
            if (!await ClaimRenewal(key, now, CancellationToken.None))
            {
                mine.SetResult((session, true));
                return (session, true);
            }
            var renewed = await Renew(session, settings, CancellationToken.None);
            if (Renewed.Count >= MaxRenewedKept)
                foreach (var (k, v) in Renewed)
                    if (v.Until <= now) Renewed.TryRemove(k, out _);
            Renewed[key] = (renewed, now + RenewedKeptFor);
            mine.SetResult((renewed, false));
            return (renewed, false);
        }
        catch (Exception e)
        {
            mine.SetException(e);
            throw;
        }
        finally
        {
            Renewing.TryRemove(key, out _);
        }
    }

    /// <summary>Stores the guard row of this refresh token's renewal; false when another instance stored it first.</summary>
    async Task<bool> ClaimRenewal(string key, DateTimeOffset now, CancellationToken ct)
    {
        var guardKey = "alb-renew:" + key;
        await db.ReplayGuards.Where(g => g.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var guard = db.ReplayGuards.Add(new ReplayGuardRow { Key = guardKey, ExpiresAt = now + RenewedKeptFor });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            guard.State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>The session with a new access token from the refresh token, as the pool's token endpoint would give it, and
    /// the user's claims read again (a changed attribute shows in x-amzn-oidc-data after the renewal, as ALB asks userInfo
    /// again); null when the refresh token is refused (revoked, expired, the user disabled or signed out everywhere).</summary>
    async Task<AlbSession?> Renew(AlbSession session, AlbRouteSettings settings, CancellationToken ct)
    {
        if (session.RefreshToken is null) return null;
        var pool = await pools.Find(settings.UserPoolId, ct);
        var client = await clients.Find(settings.ClientId, ct);
        if (pool is null || client is null || client.Row.UserPoolId != pool.Row.Id) return null;
        try
        {
            var issued = await tokens.Refresh(pool, client, session.RefreshToken, ct);
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == session.Sub && u.UserPoolId == pool.Row.Id, ct);
            return session with
            {
                ClaimsJson = user is null ? session.ClaimsJson : UserInfo(user, Tokens.ScopesOf(session.RefreshToken)).ToJsonString(),
                AccessToken = issued.AccessToken,
                RefreshToken = issued.RefreshToken ?? session.RefreshToken,
                AccessTokenExpiresAt = clock.GetUtcNow().AddSeconds(issued.ExpiresIn),
            };
        }
        catch (CognitoException e)
        {
            log.LogInformation("ALB route {Route}: the refresh token of {Sub} was refused ({Type}); the session ends", session.Route, session.Sub, e.GetType().Name);
            return null;
        }
    }

    async Task<List<KeyValuePair<string, string>>> Headers(AlbSession session, string route, AlbRouteSettings settings, CancellationToken ct)
    {
        var exp = (clock.GetUtcNow() + DataLifetime).ToUnixTimeSeconds();
        var iss = issuer.For(settings.UserPoolId);
        var payload = JsonNode.Parse(session.ClaimsJson) as JsonObject ?? [];
        payload["exp"] = exp;
        payload["iss"] = iss;
        // ALB's header: alg, kid (added by the key), signer, iss, client, exp.
        var header = new JsonObject { ["signer"] = SignerArn(route, settings), ["iss"] = iss, ["client"] = settings.ClientId, ["exp"] = exp };
        return
        [
            new(HeaderPrefix + "accesstoken", session.AccessToken),
            new(HeaderPrefix + "identity", session.Sub),
            new(HeaderPrefix + "data", await signingKey.Sign(header, payload, ct)),
        ];
    }

    /// <summary>The claims the pool's userInfo endpoint answers for these scopes (what ALB puts in x-amzn-oidc-data).</summary>
    static JsonObject UserInfo(UserRow user, IReadOnlyList<string> scopes)
    {
        var all = scopes.Contains("aws.cognito.signin.user.admin") || scopes.Contains("profile");
        var claims = new JsonObject { ["sub"] = user.Sub };
        foreach (var (name, value) in UserStore.Attributes(user))
        {
            var wanted = all || (scopes.Contains("email") && name is "email" or "email_verified")
                             || (scopes.Contains("phone") && name is "phone_number" or "phone_number_verified");
            if (!wanted || name == "sub") continue;
            // ALB passes userInfo's values through; Cognito's userInfo writes the *_verified flags as strings.
            claims[name] = value;
        }
        claims["username"] = user.Username;
        return claims;
    }

    static string RedirectUri(string baseUrl, string prefix) => $"{baseUrl}{prefix}{CallbackPath}";

    static CookieOptions CookieOptions(string prefix, string baseUrl) => new()
    {
        Path = prefix.Length == 0 ? "/" : prefix,
        HttpOnly = true,
        Secure = baseUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase),
        SameSite = SameSiteMode.Lax,
        IsEssential = true,
    };

    /// <summary>ALB's answer to a request it will not let through: 401 with a short HTML page.</summary>
    static IResult Unauthorized() => Results.Content("<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center></body></html>",
        "text/html", Encoding.UTF8, 401);

    static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    static string Slug(string route)
    {
        var s = new string(route.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray()).Trim('-');
        return s.Length == 0 ? "portal" : s[..Math.Min(32, s.Length)];
    }
}
