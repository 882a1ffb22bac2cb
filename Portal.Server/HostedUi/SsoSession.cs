using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Server.HostedUi;

/// <summary>The hosted UI's single sign-on cookie for one pool's domain: who signed in and when,
/// protected with Data Protection keys that live in the database (so every instance reads it).</summary>
public sealed class SsoSession(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public sealed record Content(string UserPoolId, string Sub, long AuthTime, long IssuedAt)
    {
        /// <summary>The SAML session the user signed in with, for single logout at the IdP (IDPSignout).</summary>
        public SamlSession? Saml { get; init; }
    }

    /// <summary>Who the SAML IdP said the user is, as a LogoutRequest names them.</summary>
    public sealed record SamlSession(string Provider, string NameId, string? NameIdFormat, string? SessionIndex);

    static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    IDataProtector Protector => dataProtection.CreateProtector("Portal.HostedUi.Sso");

    public static string CookieName(string domain) => "portal-sso-" + domain;

    /// <summary>The cookie's value for a sign-in now (testing mode mints it for suites that skip the sign-in form).</summary>
    public string Protect(string userPoolId, string sub, DateTimeOffset authTime) =>
        Protector.Protect(JsonSerializer.Serialize(new Content(userPoolId, sub, authTime.ToUnixTimeSeconds(), clock.GetUtcNow().ToUnixTimeSeconds())));

    public Content? Read(HttpContext http, string domain, string userPoolId)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName(domain), out var value)) return null;
        try
        {
            var content = JsonSerializer.Deserialize<Content>(Protector.Unprotect(value));
            if (content is null || content.UserPoolId != userPoolId) return null;
            return DateTimeOffset.FromUnixTimeSeconds(content.IssuedAt) + Lifetime < clock.GetUtcNow() ? null : content;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public void Write(HttpContext http, string domain, string userPoolId, string sub, DateTimeOffset authTime, SamlSession? saml = null)
    {
        var now = clock.GetUtcNow();
        // A sign-in from the session (prompt=none, a second app) keeps the SAML session it began with, for single logout.
        saml ??= Read(http, domain, userPoolId) is { } current && current.Sub == sub ? current.Saml : null;
        var value = Protector.Protect(JsonSerializer.Serialize(new Content(userPoolId, sub, authTime.ToUnixTimeSeconds(), now.ToUnixTimeSeconds()) { Saml = saml }));
        http.Response.Cookies.Append(CookieName(domain), value, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = HostDomains.CookiePath(http, domain), MaxAge = Lifetime,
        });
    }

    public void Clear(HttpContext http, string domain) =>
        http.Response.Cookies.Delete(CookieName(domain), new CookieOptions { Path = HostDomains.CookiePath(http, domain), Secure = http.Request.IsHttps, HttpOnly = true });
}
