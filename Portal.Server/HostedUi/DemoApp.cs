using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Server.Auth;

namespace Portal.Server.HostedUi;

/// <summary>A tiny relying party for the bootstrap demo pool, so a newcomer sees the hosted UI end to end:
/// /demo/ starts an authorization-code + PKCE sign-in, /demo/callback redeems the code at the real token endpoint
/// over HTTP and shows the ID token's claims.</summary>
public static class DemoApp
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    const string Cookie = "portal-demo-flow";
    const string TokenClient = "Portal.DemoApp";

    /// <summary>The token endpoint is called at the configured public URL only; a redirect is an answer, never followed.</summary>
    public static IServiceCollection AddDemoApp(this IServiceCollection services)
    {
        services.AddHttpClient(TokenClient).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }

    public static IEndpointRouteBuilder MapDemoApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/demo/", Start);
        app.MapGet("/demo/callback", Callback);
        return app;
    }

    static IResult Start(HttpContext http, Bootstrap bootstrap, Issuer issuer, IDataProtectionProvider dp)
    {
        if (bootstrap.Created is not { DemoClientId: { } clientId, DemoDomain: { } domain })
            return Results.Content(Page("Demo", "<p>The demo pool is not set up (Portal:Bootstrap:DemoPool is off).</p>"), "text/html; charset=utf-8");
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(Cookie, dp.CreateProtector(Cookie).Protect($"{state}:{verifier}"),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/demo", MaxAge = TimeSpan.FromMinutes(10), Secure = http.Request.IsHttps });
        var url = QueryHelpers.AddQueryString($"{issuer.BaseUrl}/{domain}/oauth2/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["response_type"] = "code", ["scope"] = "openid email profile",
            ["redirect_uri"] = $"{issuer.BaseUrl}/demo/callback", ["state"] = state,
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), ["code_challenge_method"] = "S256",
        });
        return Results.Redirect(url);
    }

    static async Task<IResult> Callback(HttpContext http, Bootstrap bootstrap, Issuer issuer, IDataProtectionProvider dp, IHttpClientFactory clients)
    {
        string Html(string title, string body) => Page(title, body);
        if (http.Request.Query["error"].ToString() is { Length: > 0 } error)
            return Results.Content(Html("Sign-in refused", $"<p>The hosted UI answered <code>{Enc(error)}</code>: {Enc(http.Request.Query["error_description"])}</p>"), "text/html; charset=utf-8", statusCode: 400);
        if (bootstrap.Created is not { DemoClientId: { } clientId, DemoDomain: { } domain }
            || !http.Request.Cookies.TryGetValue(Cookie, out var protectedFlow))
            return Results.Content(Html("Start again", "<p>This sign-in was not started here. <a href=\"/demo/\">Start again</a>.</p>"), "text/html; charset=utf-8", statusCode: 400);
        string state, verifier;
        try
        {
            var parts = dp.CreateProtector(Cookie).Unprotect(protectedFlow).Split(':', 2);
            (state, verifier) = (parts[0], parts[1]);
        }
        catch (CryptographicException)
        {
            return Results.Content(Html("Start again", "<p>The sign-in expired. <a href=\"/demo/\">Start again</a>.</p>"), "text/html; charset=utf-8", statusCode: 400);
        }
        if (http.Request.Query["state"] != state)
            return Results.Content(Html("Start again", "<p>The state does not match this sign-in. <a href=\"/demo/\">Start again</a>.</p>"), "text/html; charset=utf-8", statusCode: 400);

        using var client = clients.CreateClient(TokenClient);
        var response = await client.PostAsync($"{issuer.BaseUrl}/{domain}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = http.Request.Query["code"].ToString(),
            ["redirect_uri"] = $"{issuer.BaseUrl}/demo/callback", ["code_verifier"] = verifier,
        }), http.RequestAborted);
        if (!response.IsSuccessStatusCode)
            return Results.Content(Html("Token exchange failed", $"<p>The token endpoint answered {(int)response.StatusCode}. <a href=\"/demo/\">Start again</a>.</p>"), "text/html; charset=utf-8", statusCode: 502);
        var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
        using var tokens = JsonDocument.Parse(body);
        var idToken = tokens.RootElement.GetProperty("id_token").GetString()!;
        var claims = JsonSerializer.Serialize(JsonDocument.Parse(Jwt.FromBase64Url(idToken.Split('.')[1])).RootElement, Indented);
        http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/demo" });
        var logout = QueryHelpers.AddQueryString($"/{domain}/logout", new Dictionary<string, string?> { ["client_id"] = clientId, ["logout_uri"] = $"{issuer.BaseUrl}/demo/" });
        return Results.Content(Html("Signed in", $"<p>The demo app received these claims in its ID token:</p><pre id=\"claims\">{Enc(claims)}</pre><p><a href=\"{Enc(logout)}\">Sign out</a></p>"),
            "text/html; charset=utf-8");
    }

    static string Enc(string? s) => HtmlEncoder.Default.Encode(s ?? "");
    static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static string Page(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        $"<title>{Enc(title)} · Portal demo app</title><link rel=\"stylesheet\" href=\"/hosted-ui/base.css\"></head><body><div class=\"page\"><main class=\"card\">" +
        $"<h1 class=\"title\">{Enc(title)}</h1>{body}</main></div></body></html>";
}
