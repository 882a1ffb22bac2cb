using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.Testing;

/// <summary>
/// Testing mode's built-in OpenID Connect provider, so a suite tests federated sign-in without a real IdP: discovery,
/// JWKS, an authorize page where the tester types who they are (email, name, subject), a token endpoint (client secret
/// and PKCE S256 required, codes single use and 5 minutes long) and userInfo. RS256 with one key per deployment (a
/// settings row, the private key protected by Data Protection, created once under a unique key so instances agree).
/// A pool's client id is <c>testidp-{poolId}</c> and its secret an HMAC of it, so nothing per pool is stored; the token
/// endpoint reads the pool's clock (<see cref="PoolClocks"/>), so its tokens are fresh on that pool's time.
/// Portal signs in through it with its ordinary OIDC federation (<see cref="Federation.OidcSignIn"/>), as with any IdP.
/// Served only in testing mode; the authorize page answers whom the testing API answers (<see cref="TestingAccess"/>).
/// </summary>
public sealed class TestIdp(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, Issuer issuer) : IDisposable
{
    public const string Path = TestingEndpoints.Prefix + "/idp";
    public const string ClientPrefix = "testidp-";
    const string KeyName = "testing/idp/key";
    const string CodePrefix = "testing/idp/code/";
    static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    sealed record KeyMaterial(RSAParameters Rsa, byte[] Secret, string Kid);

    sealed record StoredKey(string Pkcs8, string Secret);

    sealed record Grant(string ClientId, string RedirectUri, string CodeChallenge, string? Nonce, string Scope, string Sub, string Email,
        string? Name, long AuthTime, long ExpiresAt);

    KeyMaterial? keys;
    readonly SemaphoreSlim gate = new(1, 1);

    public string IssuerUrl => issuer.BaseUrl + Path;

    public void Dispose() => gate.Dispose();

    public static string PoolOf(string? clientId) =>
        clientId is { Length: > 8 } && clientId.StartsWith(ClientPrefix, StringComparison.Ordinal) ? clientId[ClientPrefix.Length..] : "";

    public static string ClientIdFor(string userPoolId) => ClientPrefix + userPoolId;

    /// <summary>The pool's client secret at the test IdP: an HMAC of its client id with the deployment's key.</summary>
    public async Task<string> ClientSecret(string clientId, CancellationToken ct) =>
        Jwt.Base64Url(HMACSHA256.HashData((await Keys(ct)).Secret, Encoding.UTF8.GetBytes(clientId)));

    /// <summary>The provider details Portal's OIDC federation needs to use the test IdP for a pool.</summary>
    public async Task<Dictionary<string, string>> ProviderDetails(string userPoolId, CancellationToken ct)
    {
        var clientId = ClientIdFor(userPoolId);
        return new()
        {
            ["client_id"] = clientId, ["client_secret"] = await ClientSecret(clientId, ct), ["authorize_scopes"] = "openid email profile",
            ["attributes_request_method"] = "GET", ["oidc_issuer"] = IssuerUrl, ["authorize_url"] = IssuerUrl + "/authorize",
            ["token_url"] = IssuerUrl + "/token", ["attributes_url"] = IssuerUrl + "/userinfo", ["jwks_uri"] = IssuerUrl + "/jwks",
        };
    }

    async Task<KeyMaterial> Keys(CancellationToken ct)
    {
        if (keys is { } known) return known;
        await gate.WaitAsync(ct);
        try
        {
            if (keys is { } loaded) return loaded;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var protector = dataProtection.CreateProtector("Portal.Testing.Idp");
            var stored = await Stored(db, ct);
            if (stored is null)
            {
                using var rsa = RSA.Create(2048);
                var made = JsonSerializer.Serialize(new StoredKey(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
                    Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
                // Several instances may start at once: the first row stays, every instance then reads it.
                await db.Database.ExecuteSqlRawAsync("""INSERT INTO "Settings" ("Key", "Value") VALUES ({0}, {1}) ON CONFLICT DO NOTHING""",
                    [KeyName, protector.Protect(made)], ct);
                stored = await Stored(db, ct) ?? throw new InvalidOperationException("The test IdP's key was not stored.");
            }
            var key = JsonSerializer.Deserialize<StoredKey>(protector.Unprotect(stored))!;
            using var imported = RSA.Create();
            imported.ImportPkcs8PrivateKey(Convert.FromBase64String(key.Pkcs8), out _);
            var parameters = imported.ExportParameters(includePrivateParameters: true);
            return keys = new KeyMaterial(parameters, Convert.FromBase64String(key.Secret), Jwt.Base64Url(SHA256.HashData(parameters.Modulus!))[..16]);
        }
        finally
        {
            gate.Release();
        }
    }

    static Task<string?> Stored(PortalDb db, CancellationToken ct) =>
        db.Settings.AsNoTracking().Where(s => s.Key == KeyName).Select(s => s.Value).FirstOrDefaultAsync(ct);

    public static void Map(IEndpointRouteBuilder app)
    {
        var idp = app.MapGroup(Path);
        idp.MapGet("/.well-known/openid-configuration", (TestIdp t) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = t.IssuerUrl, ["authorization_endpoint"] = t.IssuerUrl + "/authorize", ["token_endpoint"] = t.IssuerUrl + "/token",
            ["userinfo_endpoint"] = t.IssuerUrl + "/userinfo", ["jwks_uri"] = t.IssuerUrl + "/jwks",
            ["response_types_supported"] = Discovery.ResponseTypes, ["subject_types_supported"] = Discovery.SubjectTypes,
            ["id_token_signing_alg_values_supported"] = Discovery.Algorithms, ["scopes_supported"] = Discovery.Scopes,
            ["token_endpoint_auth_methods_supported"] = Discovery.ClientAuthentication,
            ["code_challenge_methods_supported"] = Discovery.CodeChallenge, ["grant_types_supported"] = Discovery.GrantTypes,
            ["claims_supported"] = Discovery.Claims,
        }));
        idp.MapGet("/jwks", async (TestIdp t, CancellationToken ct) =>
        {
            var k = await t.Keys(ct);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = k.Kid, n = Jwt.Base64Url(k.Rsa.Modulus), e = Jwt.Base64Url(k.Rsa.Exponent) } } });
        });
        var authorize = idp.MapMethods("/authorize", ["GET", "POST"], Authorize);
        authorize.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<TestingAccess>().Refusal(context.HttpContext) ?? await next(context));
        authorize.DisableAntiforgery();
        idp.MapPost("/token", Token).DisableAntiforgery();
        idp.MapMethods("/userinfo", ["GET", "POST"], UserInfo).DisableAntiforgery();
    }

    static class Discovery
    {
        public static readonly string[] ResponseTypes = ["code"], SubjectTypes = ["public"], Algorithms = ["RS256"], Scopes = ["openid", "email", "profile"],
            ClientAuthentication = ["client_secret_post", "client_secret_basic"], CodeChallenge = ["S256"], GrantTypes = ["authorization_code"],
            Claims = ["sub", "email", "email_verified", "name"];
    }

    /// <summary>The request the relying party sent, checked; the problem in a sentence otherwise.</summary>
    sealed record AuthorizeRequest(string ClientId, string RedirectUri, string State, string? Nonce, string CodeChallenge, string Scope);

    static async Task<(AuthorizeRequest? Request, string? Problem)> Check(Func<string, string?> get, PortalDb db, CancellationToken ct)
    {
        var clientId = get("client_id") ?? "";
        var pool = PoolOf(clientId);
        if (pool.Length == 0 || !await db.UserPools.AnyAsync(p => p.Id == pool, ct))
            return (null, "client_id is not a pool's client at the test IdP (testidp-{poolId}).");
        if (get("response_type") != "code") return (null, "response_type must be code.");
        var redirect = get("redirect_uri");
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || !uri.AbsolutePath.EndsWith("/oauth2/idpresponse", StringComparison.Ordinal))
            return (null, "redirect_uri must be a Portal's /oauth2/idpresponse.");
        if (string.IsNullOrEmpty(get("code_challenge")) || get("code_challenge_method") != "S256")
            return (null, "PKCE is required: code_challenge with code_challenge_method S256.");
        var scope = get("scope") ?? "";
        if (!scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid")) return (null, "scope must include openid.");
        return (new AuthorizeRequest(clientId, redirect!, get("state") ?? "", get("nonce"), get("code_challenge")!, scope), null);
    }

    static async Task<IResult> Authorize(HttpContext http, PortalDb db, PoolClocks clocks, TimeProvider clock, CancellationToken ct)
    {
        IFormCollection? form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        string? Get(string name) => (form is not null ? form[name] : http.Request.Query[name]) is { Count: > 0 } v && v[0] is { Length: > 0 } s ? s : null;
        var (request, problem) = await Check(Get, db, ct);
        if (request is null) return Page(null, problem, null, HttpStatusCode.BadRequest);
        if (form is null) return Page(request, null, null, HttpStatusCode.OK);
        if (Get("action") == "cancel")
            return Results.Redirect(QueryHelpers.AddQueryString(request.RedirectUri, new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = request.State }));
        var email = Get("email")?.Trim();
        if (email is null || email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.Length > 254)
            return Page(request, "Enter an email address.", Get("name"), HttpStatusCode.BadRequest);
        var sub = Get("sub")?.Trim() is { Length: > 0 and <= 255 } given ? given : SubjectOf(email);
        await clocks.Enter(db, PoolOf(request.ClientId), ct);
        var now = clock.GetUtcNow();
        var code = Jwt.Base64Url(RandomNumberGenerator.GetBytes(32));
        var grant = new Grant(request.ClientId, request.RedirectUri, request.CodeChallenge, request.Nonce, request.Scope, sub, email,
            Get("name")?.Trim(), now.ToUnixTimeSeconds(), (now + CodeLifetime).ToUnixTimeSeconds());
        // Forget codes nobody redeemed (only the test IdP's few rows are read).
        var stale = (await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(CodePrefix)).ToListAsync(ct))
            .Where(s => JsonSerializer.Deserialize<Grant>(s.Value) is not { } g || g.ExpiresAt < now.ToUnixTimeSeconds()).Select(s => s.Key).ToList();
        if (stale.Count > 0) await db.Settings.Where(s => stale.Contains(s.Key)).ExecuteDeleteAsync(ct);
        db.Settings.Add(new SettingRow { Key = CodePrefix + CodeKey(code), Value = JsonSerializer.Serialize(grant) });
        await db.SaveChangesAsync(ct);
        return Results.Redirect(QueryHelpers.AddQueryString(request.RedirectUri, new Dictionary<string, string?>
        {
            ["code"] = code, ["state"] = request.State, ["iss"] = http.RequestServices.GetRequiredService<TestIdp>().IssuerUrl,
        }));
    }

    /// <summary>The same email always signs in as the same subject unless the tester names one.</summary>
    public static string SubjectOf(string email) =>
        "testidp-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..24];

    static string CodeKey(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));

    static IResult TokenError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    static async Task<IResult> Token(HttpContext http, PortalDb db, TestIdp idp, PoolClocks clocks, TimeProvider clock, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType) return TokenError("invalid_request", "The token request is a form post.");
        var form = await http.Request.ReadFormAsync(ct);
        string? clientId = form["client_id"], secret = form["client_secret"];
        if (AuthenticationHeader(http) is { } basic) (clientId, secret) = basic;
        var expected = string.IsNullOrEmpty(clientId) ? "" : await idp.ClientSecret(clientId, ct);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret) || PoolOf(clientId).Length == 0
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
            return TokenError("invalid_client", "Client authentication failed.", StatusCodes.Status401Unauthorized);
        if (form["grant_type"] != "authorization_code") return TokenError("unsupported_grant_type", "Only authorization_code is served.");
        var code = form["code"].ToString();
        var key = CodePrefix + CodeKey(code);
        var stored = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync(ct);
        // Single use: the delete that removes the row is the one redemption.
        if (stored is null || await db.Settings.Where(s => s.Key == key).ExecuteDeleteAsync(ct) != 1)
            return TokenError("invalid_grant", "The code is unknown or used.");
        var grant = JsonSerializer.Deserialize<Grant>(stored)!;
        await clocks.Enter(db, PoolOf(grant.ClientId), ct);
        var now = clock.GetUtcNow();
        if (grant.ExpiresAt < now.ToUnixTimeSeconds()) return TokenError("invalid_grant", "The code has expired.");
        if (grant.ClientId != clientId) return TokenError("invalid_grant", "The code was issued to another client.");
        if (grant.RedirectUri != form["redirect_uri"]) return TokenError("invalid_grant", "redirect_uri differs from the authorization request's.");
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length is < 43 or > 128 || Jwt.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
            return TokenError("invalid_grant", "PKCE verification failed: code_verifier does not match the code_challenge.");

        var keys = await idp.Keys(ct);
        using var rsa = RSA.Create(keys.Rsa);
        var iat = now.ToUnixTimeSeconds();
        var exp = (now + TokenLifetime).ToUnixTimeSeconds();
        var idClaims = new JsonObject
        {
            ["iss"] = idp.IssuerUrl, ["sub"] = grant.Sub, ["aud"] = grant.ClientId, ["iat"] = iat, ["exp"] = exp, ["auth_time"] = grant.AuthTime,
            ["email"] = grant.Email, ["email_verified"] = true,
        };
        if (grant.Name is { Length: > 0 }) idClaims["name"] = grant.Name;
        if (grant.Nonce is not null) idClaims["nonce"] = grant.Nonce;
        var access = new JsonObject
        {
            ["iss"] = idp.IssuerUrl, ["sub"] = grant.Sub, ["aud"] = grant.ClientId, ["client_id"] = grant.ClientId, ["iat"] = iat, ["exp"] = exp,
            ["scope"] = grant.Scope, ["token_use"] = "access", ["email"] = grant.Email,
        };
        if (grant.Name is { Length: > 0 }) access["name"] = grant.Name;
        return Results.Json(new
        {
            access_token = Jwt.Sign(rsa, keys.Kid, access), id_token = Jwt.Sign(rsa, keys.Kid, idClaims), token_type = "Bearer",
            expires_in = (int)TokenLifetime.TotalSeconds, scope = grant.Scope,
        });
    }

    static (string, string)? AuthenticationHeader(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (Uri.UnescapeDataString(text[..colon]), Uri.UnescapeDataString(text[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static async Task<IResult> UserInfo(HttpContext http, PortalDb db, TestIdp idp, PoolClocks clocks, TimeProvider clock, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var keys = await idp.Keys(ct);
        using var rsa = RSA.Create(keys.Rsa);
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !Jwt.TryRead(header["Bearer ".Length..].Trim(), out var jwt)
            || !Jwt.Verify(rsa, jwt) || jwt.String("token_use") != "access" || jwt.String("iss") != idp.IssuerUrl || jwt.Number("exp") is not { } exp)
            return Unauthorized("invalid_token");
        await clocks.Enter(db, PoolOf(jwt.String("client_id")), ct);
        if (exp <= clock.GetUtcNow().ToUnixTimeSeconds()) return Unauthorized("invalid_token");
        var info = new Dictionary<string, object?> { ["sub"] = jwt.String("sub"), ["email"] = jwt.String("email"), ["email_verified"] = true };
        if (jwt.String("name") is { } name) info["name"] = name;
        return Results.Json(info);

        IResult Unauthorized(string error)
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"{error}\"";
            return Results.Json(new { error }, statusCode: StatusCodes.Status401Unauthorized);
        }
    }

    static IResult Page(AuthorizeRequest? request, string? problem, string? name, HttpStatusCode status)
    {
        static string E(string? s) => HtmlEncoder.Default.Encode(s ?? "");
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Portal test IdP</title>
            <style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #d0d4da}
            label{display:block;margin-top:1rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;border:1px solid #6b7280;border-radius:4px}
            .hint{color:#4b5563;font-size:.875rem;margin:.25rem 0 0}.error{color:#b42318;font-weight:600}
            button{margin-top:1.5rem;margin-right:.5rem;padding:.6rem 1rem;border-radius:4px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;font-weight:600}
            button.secondary{background:#fff;color:#1d4ed8}</style></head><body><main>
            <h1>Portal test IdP</h1>
            """);
        if (request is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">{E(problem)}</p></main></body></html>""");
            return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: (int)status);
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <p>Testing mode's identity provider: sign in as anyone, for pool {E(PoolOf(request.ClientId))}.</p>
            {(problem is null ? "" : $"""<p class="error" role="alert" id="problem">{E(problem)}</p>""")}
            <form method="post" action="{E(Path)}/authorize">
            <input type="hidden" name="client_id" value="{E(request.ClientId)}"><input type="hidden" name="response_type" value="code">
            <input type="hidden" name="redirect_uri" value="{E(request.RedirectUri)}"><input type="hidden" name="state" value="{E(request.State)}">
            <input type="hidden" name="nonce" value="{E(request.Nonce)}"><input type="hidden" name="scope" value="{E(request.Scope)}">
            <input type="hidden" name="code_challenge" value="{E(request.CodeChallenge)}"><input type="hidden" name="code_challenge_method" value="S256">
            <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="off" required{(problem is null ? "" : " aria-invalid=\"true\" aria-describedby=\"problem\"")}>
            <label for="name">Name</label><input id="name" name="name" autocomplete="off" value="{E(name)}">
            <label for="sub">Subject</label><input id="sub" name="sub" autocomplete="off" aria-describedby="sub-hint">
            <p class="hint" id="sub-hint">Optional: the same email always gets the same subject.</p>
            <button type="submit" name="action" value="sign-in">Sign in as this user</button><button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
            </form></main></body></html>
            """);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: (int)status);
    }
}
