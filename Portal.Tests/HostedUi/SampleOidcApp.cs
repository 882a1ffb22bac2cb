using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>An ordinary ASP.NET Core web app that signs its users in with OpenID Connect (code + PKCE) against a Portal pool,
/// the way a team's app would against Cognito. "/" needs a signed-in user and prints the claims it received.</summary>
public sealed class SampleOidcApp : IAsyncDisposable
{
    readonly WebApplication app;
    public string BaseUrl { get; }
    public string CallbackUrl => BaseUrl + "/signin-oidc";
    public string SignedOutUrl => BaseUrl + "/signed-out";

    SampleOidcApp(WebApplication app, string baseUrl) => (this.app, BaseUrl) = (app, baseUrl);

    public static async Task<SampleOidcApp> Start(string issuer, string clientId, string? clientSecret, string logoutEndpoint)
    {
        var port = PortalServer.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseUrl);
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o => o.Cookie.Name = "sample-" + port)
            .AddOpenIdConnect(o =>
            {
                o.Authority = issuer;
                o.RequireHttpsMetadata = false;
                o.ClientId = clientId;
                o.ClientSecret = clientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.Scope.Clear();
                foreach (var s in new[] { "openid", "email", "profile" }) o.Scope.Add(s);
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    // Cognito's /logout takes client_id and logout_uri rather than OIDC's end-session parameters.
                    context.Response.Redirect($"{logoutEndpoint}?client_id={clientId}&logout_uri={Uri.EscapeDataString(baseUrl + "/signed-out")}");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (ClaimsPrincipal user) => Results.Content(
            "<!DOCTYPE html><html><body><h1>Sample app</h1><ul id=\"claims\">" +
            string.Concat(user.Claims.Select(c => $"<li data-claim=\"{c.Type}\">{System.Net.WebUtility.HtmlEncode(c.Type)}={System.Net.WebUtility.HtmlEncode(c.Value)}</li>")) +
            "</ul><a href=\"/logout\">Sign out</a></body></html>", "text/html")).RequireAuthorization();
        app.MapGet("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignOutAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = "/signed-out" });
        });
        app.MapGet("/signed-out", () => Results.Content("<!DOCTYPE html><html><body><h1>Signed out of the sample app</h1></body></html>", "text/html"));
        await app.StartAsync();
        return new SampleOidcApp(app, baseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
