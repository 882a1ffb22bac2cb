using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Client.Security;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.Admin;

/// <summary>Where operators sign in: by default Portal's own administration pool through its hosted UI
/// (OpenID Connect, code + PKCE); an external OpenID Connect provider when <c>Portal:Admin:Authority</c> is set.</summary>
public sealed class AdminOptions
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The claim whose values name the operator's groups (administrators, operators, viewers).</summary>
    public string GroupClaim { get; set; } = "cognito:groups";
}

public static class AdminSignIn
{
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    public static IServiceCollection AddAdminSignIn(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<AdminOptions>(portal.GetSection("Admin"));
        services.AddOperatorSessions(portal);
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "portal-admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.EventsType = typeof(OperatorSessions.Cookie); // re-checked against the administration pool every minute
            })
            .AddOpenIdConnect(Scheme, _ => { });
        // Configured when first used: the administration pool exists only after the bootstrap has run.
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureAdminOidc>();
        services.AddSingleton<IConfigureNamedOptions<OpenIdConnectOptions>, ConfigureAdminOidc>();
        services.AddCascadingAuthenticationState();
        services.AddAuthorization();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = "/" });
        });
        return app;
    }

    sealed class ConfigureAdminOidc(IOptions<AdminOptions> admin, Bootstrap bootstrap, Issuer issuer, IServiceScopeFactory scopes)
        : IConfigureNamedOptions<OpenIdConnectOptions>
    {
        public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, OpenIdConnectOptions o)
        {
            if (name != Scheme) return;
            var a = admin.Value;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query; // Cognito answers authorize with a query, not form_post
            o.UsePkce = true;
            o.SaveTokens = false;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.Scope.Clear();
            foreach (var s in new[] { "openid", "email", "profile" }) o.Scope.Add(s);
            o.TokenValidationParameters.NameClaimType = "cognito:username";
            if (!string.IsNullOrEmpty(a.Authority))
            {
                o.Authority = a.Authority;
                o.ClientId = a.ClientId;
                o.ClientSecret = a.ClientSecret;
                o.RequireHttpsMetadata = a.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            }
            else if (bootstrap.Created is { } created)
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
                var client = db.AppClients.AsNoTracking().First(c => c.ClientId == created.AdminClientId);
                o.Authority = issuer.Location(created.AdminPoolId);
                o.ClientId = client.ClientId;
                o.ClientSecret = client.ClientSecret;
                o.RequireHttpsMetadata = o.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    // Cognito's /logout takes client_id and logout_uri rather than OIDC's end-session parameters.
                    var domain = db.Domains.AsNoTracking().Where(d => d.UserPoolId == created.AdminPoolId).Select(d => d.Domain).First();
                    context.Response.Redirect($"{issuer.BaseUrl}/{domain}/logout?client_id={client.ClientId}&logout_uri={Uri.EscapeDataString(issuer.BaseUrl + "/")}");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            }
            o.Events.OnTokenValidated = context =>
            {
                // The portal's role comes from the groups claim; an account with no portal group is refused here.
                var principal = context.Principal!;
                var role = OperatorRoles.Of(principal, a.GroupClaim);
                if (role is null)
                {
                    context.Fail("This account is not a member of the administrators, operators or viewers group of the portal.");
                    return Task.CompletedTask;
                }
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, role));
                return Task.CompletedTask;
            };
        }
    }
}
