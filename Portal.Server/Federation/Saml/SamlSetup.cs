using Microsoft.Extensions.Options;
using Portal.Server.HostedUi;

namespace Portal.Server.Federation.Saml;

public static class SamlSetup
{
    public static IServiceCollection AddSaml(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<SamlOptions>(portal.GetSection("Federation"));
        services.AddHttpClient(SamlMetadataDownload.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => SamlMetadataDownload.Handler(sp.GetRequiredService<IOptions<SamlOptions>>()));
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
        app.MapPost("/saml2/idpresponse", (HttpContext h, SamlSignIn saml) => saml.Respond(h, null)).DisableAntiforgery().AddEndpointFilter(NoStore).AddEndpointFilter(HostedForm.Saml);
        app.MapPost("/{domain}/saml2/idpresponse", (HttpContext h, string domain, SamlSignIn saml) => saml.Respond(h, domain))
            .DisableAntiforgery().AddEndpointFilter(NoStore).AddEndpointFilter(HostedForm.Saml);
        // The IdP's LogoutResponse (single logout): by redirect, or posted cross-site.
        app.MapMethods("/saml2/logout", ["GET", "POST"], (HttpContext h, SamlSignOut saml) => saml.Answer(h, null)).DisableAntiforgery().AddEndpointFilter(NoStore).AddEndpointFilter(HostedForm.Saml);
        app.MapMethods("/{domain}/saml2/logout", ["GET", "POST"], (HttpContext h, string domain, SamlSignOut saml) => saml.Answer(h, domain))
            .DisableAntiforgery().AddEndpointFilter(NoStore).AddEndpointFilter(HostedForm.Saml);
        app.MapGet("/saml2/metadata/{userPoolId}", (HttpContext h, string userPoolId, SamlSignIn saml) => saml.SpMetadata(h, userPoolId, null));
        app.MapGet("/{domain}/saml2/metadata", (HttpContext h, string domain, SamlSignIn saml) => saml.SpMetadata(h, null, domain));
        return app;
    }

    static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
        return result;
    }
}
