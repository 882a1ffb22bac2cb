using Microsoft.Extensions.Options;
using Portal.Server.HostedUi;
using Portal.Server.Outbound;

namespace Portal.Server.Federation.Saml;

public static class SamlSetup
{
    public static IServiceCollection AddSaml(this IServiceCollection services, IConfiguration portal)
    {
        services.AddHttpClient(SamlMetadataDownload.ClientName).GuardOutbound();
        return services
            .AddScoped<SamlMetadataDownload>()
            .AddScoped<SamlProviderMetadata>()
            .AddScoped<IProviderDetailsCheck, SamlProviderDetailsCheck>()
            .AddScoped<SamlSigningCertificates>()
            .AddScoped<SamlServiceProvider>()
            .AddScoped<SamlResponses>()
            .AddScoped<SamlSignIn>()
            .AddScoped<ISamlSignIn>(sp => sp.GetRequiredService<SamlSignIn>())
            .AddScoped<SamlSignOut>()
            .AddScoped<ISamlSignOut>(sp => sp.GetRequiredService<SamlSignOut>());
    }

    /// <summary>The assertion consumer service (IdPs post here cross-site: no antiforgery, the signature is the proof)
    /// and each pool's SP metadata.</summary>
    public static IEndpointRouteBuilder MapSaml(this IEndpointRouteBuilder app)
    {
        // Hosted UI: the security headers and no-store of every hosted answer (HostedUiHeaders).
        app.MapPost("/saml2/idpresponse", (HttpContext h, SamlSignIn saml) => saml.Respond(h, null)).DisableAntiforgery().WithHostedUiHeaders()
            .AddEndpointFilter(Throttling.HostedUiThrottle.IdpResponse)
            .AddEndpointFilter(HostedForm.Saml);
        app.MapPost("/{domain}/saml2/idpresponse", (HttpContext h, string domain, SamlSignIn saml) => saml.Respond(h, domain))
            .DisableAntiforgery().WithHostedUiHeaders()
            .AddEndpointFilter(Throttling.HostedUiThrottle.IdpResponse)
            .AddEndpointFilter(HostedForm.Saml);
        // The IdP's LogoutResponse (single logout): by redirect, or posted cross-site.
        app.MapMethods("/saml2/logout", ["GET", "POST"], (HttpContext h, SamlSignOut saml) => saml.Answer(h, null)).DisableAntiforgery().WithHostedUiHeaders()
            .AddEndpointFilter(HostedForm.Saml);
        app.MapMethods("/{domain}/saml2/logout", ["GET", "POST"], (HttpContext h, string domain, SamlSignOut saml) => saml.Answer(h, domain))
            .DisableAntiforgery().WithHostedUiHeaders().AddEndpointFilter(HostedForm.Saml);
        app.MapGet("/saml2/metadata/{userPoolId}", (HttpContext h, string userPoolId, SamlSignIn saml) => saml.SpMetadata(h, userPoolId, null)).WithHostedUiHeaders();
        app.MapGet("/{domain}/saml2/metadata", (HttpContext h, string domain, SamlSignIn saml) => saml.SpMetadata(h, null, domain)).WithHostedUiHeaders();
        return app;
    }
}
