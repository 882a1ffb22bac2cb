namespace Portal.Server.HostedUi;

/// <summary>The hosted UI's "remember this device": the browser's device key and secret in a cookie of the pool's domain
/// (the secret is stored only hashed, see <see cref="Auth.Devices.BrowserProven"/>). Forgetting the device in the API or
/// the portal ends it, whatever the cookie says.</summary>
public static class BrowserDevice
{
    static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    static string CookieName(string domain) => "portal-device-" + domain;

    /// <summary>The sign-in parameters the cookie gives (DEVICE_KEY and the hosted-only BROWSER_SECRET), none without it.</summary>
    public static void AddTo(HttpContext http, string domain, Dictionary<string, string> parameters)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName(domain), out var value) || value.Split('.') is not [var key, var secret]) return;
        parameters["DEVICE_KEY"] = key;
        parameters["BROWSER_SECRET"] = secret;
    }

    public static void Write(HttpContext http, string domain, string? value)
    {
        if (value is null) return;
        http.Response.Cookies.Append(CookieName(domain), value, new CookieOptions
        {
            HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = HostDomains.CookiePath(http, domain), MaxAge = Lifetime,
        });
    }
}
