using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.HostedUi;
using Portal.Server.Storage;

namespace Portal.Server.Federation;

/// <summary>The authorize request a federated sign-in continues once the provider answers: the app's OAuth
/// parameters, the provider, and what Portal sent to the provider (nonce, PKCE verifier).</summary>
public sealed record FederationRequest
{
    public required string Id { get; init; }                    // single-use key (ReplayGuards)
    public required string UserPoolId { get; init; }
    public required string Domain { get; init; }
    public required string ClientId { get; init; }
    public required string RedirectUri { get; init; }
    public required string ProviderName { get; init; }
    public string? ResponseType { get; init; }
    public string? Scope { get; init; }
    public string? State { get; init; }
    public string? Nonce { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public string? UiLocales { get; init; }
    public string? LoginHint { get; init; }                     // passed on to the provider (identifier-first)
    public long IssuedAt { get; init; }                         // unix seconds
    public string? ProviderNonce { get; init; }                 // nonce sent to an OIDC provider
    public string? ProviderCodeVerifier { get; init; }          // PKCE verifier for the provider's token endpoint
    public string? RedirectUriToProvider { get; init; }         // the idpresponse URL the provider was given
    public string? Binding { get; init; }                       // the value of the browser's binding cookie (login CSRF)
    /// <summary>An administrator's test sign-in from the portal: the answer is shown, not signed in, and nothing is written.</summary>
    public bool Test { get; init; }
    public string? TestedBy { get; init; }

    public OAuthParameters OAuth => new()
    {
        ClientId = ClientId, RedirectUri = RedirectUri, ResponseType = ResponseType, Scope = Scope, State = State, Nonce = Nonce,
        CodeChallenge = CodeChallenge, CodeChallengeMethod = CodeChallengeMethod, UiLocales = UiLocales,
    };

    public static FederationRequest From(string userPoolId, string domain, string providerName, OAuthParameters oauth, DateTimeOffset now) => new()
    {
        Id = RandomToken(), UserPoolId = userPoolId, Domain = domain, ProviderName = providerName,
        ClientId = oauth.ClientId!, RedirectUri = oauth.RedirectUri!, ResponseType = oauth.ResponseType, Scope = oauth.Scope,
        State = oauth.State, Nonce = oauth.Nonce, CodeChallenge = oauth.CodeChallenge, CodeChallengeMethod = oauth.CodeChallengeMethod,
        UiLocales = oauth.UiLocales, LoginHint = oauth.LoginHint, IssuedAt = now.ToUnixTimeSeconds(),
    };

    /// <summary>A test sign-in of a provider, started from the portal by an administrator; no app client takes part.</summary>
    public static FederationRequest ForTest(string userPoolId, string? domain, string providerName, string? operatorName, DateTimeOffset now) => new()
    {
        Id = RandomToken(), UserPoolId = userPoolId, Domain = domain ?? "", ProviderName = providerName, ClientId = "", RedirectUri = "",
        IssuedAt = now.ToUnixTimeSeconds(), Test = true, TestedBy = operatorName,
    };

    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Federation requests as opaque strings (OAuth state, SAML RelayState): protected with Data Protection,
/// good for ten minutes, taken once, and only in the browser that started them (a cookie set when the hosted UI sends
/// the user to the provider), so an attacker cannot hand a victim the answer to the attacker's own sign-in.</summary>
public sealed class FederationRequests(IDataProtectionProvider dataProtection, PortalDb db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const string NotThisBrowser = "the sign-in was not started in this browser";
    /// <summary>What the user is told when the binding cookie is missing or another (a key of <see cref="Texts"/>).</summary>
    public const string NotThisBrowserKey = "FedNotThisBrowser";
    const string CookiePrefix = "portal-federation-";
    IDataProtector Protector => dataProtection.CreateProtector("Portal.Federation.Request");

    /// <summary>The protected request, bound to this browser by a short-lived HttpOnly cookie. <paramref name="postBack"/>:
    /// the provider answers with a cross-site POST (SAML POST binding, form_post), which a SameSite=Lax cookie would miss,
    /// so the cookie is SameSite=None over https (and left to the browser's default over plain http, where None is refused).</summary>
    public string Bind(HttpContext http, FederationRequest request, bool postBack)
    {
        request = request with { Binding = FederationRequest.RandomToken() };
        http.Response.Cookies.Append(CookieName(request), request.Binding, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, Path = "/", MaxAge = Lifetime, IsEssential = true,
            SameSite = !postBack ? SameSiteMode.Lax : http.Request.IsHttps ? SameSiteMode.None : SameSiteMode.Unspecified,
        });
        return Protector.Protect(JsonSerializer.Serialize(request));
    }

    /// <summary>Why this browser may not continue the request (the binding cookie is missing or another), or null.</summary>
    public static string? Unbound(HttpContext http, FederationRequest request)
    {
        if (request.Binding is null || http.Request.Cookies[CookieName(request)] is not { } cookie) return NotThisBrowser;
        return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(cookie), System.Text.Encoding.UTF8.GetBytes(request.Binding))
            ? null
            : NotThisBrowser;
    }

    // One cookie per sign-in, so two tabs signing in at once do not overwrite each other's binding; kept until it expires,
    // so a replay in the same browser is still told "already used".
    static string CookieName(FederationRequest request) => CookiePrefix + request.Id[..16];

    /// <summary>Reads without taking: null with the reason when tampered or expired.</summary>
    public (FederationRequest? Request, string? Problem) Read(string? protectedRequest)
    {
        if (string.IsNullOrEmpty(protectedRequest)) return (null, "the state is missing");
        FederationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<FederationRequest>(Protector.Unprotect(protectedRequest));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return (null, "the state is not valid (tampered or from another installation)");
        }
        if (request is null) return (null, "the state is empty");
        if (DateTimeOffset.FromUnixTimeSeconds(request.IssuedAt) + Lifetime < clock.GetUtcNow()) return (null, "the state has expired");
        return (request, null);
    }

    /// <summary>Reads and marks used, in the browser that started it only: a second use of the same request is refused.</summary>
    public async Task<(FederationRequest? Request, string? Problem)> Take(HttpContext http, string? protectedRequest, CancellationToken ct)
    {
        var (request, problem) = Read(protectedRequest);
        if (request is null) return (null, problem);
        if (Unbound(http, request) is { } unbound) return (null, unbound);
        var now = clock.GetUtcNow();
        var key = "federation:" + request.Id;
        if (await db.ReplayGuards.AnyAsync(g => g.Key == key, ct)) return (null, "the state was already used");
        await db.ReplayGuards.Where(g => g.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var guard = db.ReplayGuards.Add(new ReplayGuardRow { Key = key, ExpiresAt = now + Lifetime + TimeSpan.FromMinutes(1) });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same state arrived twice at once: only one of them wins (the key is unique), and the refused row leaves
            // the unit of work so the error page can still save.
            guard.State = EntityState.Detached;
            return (null, "the state was already used");
        }
        return (request, null);
    }
}
