using Portal.Server.Outbound;

namespace Portal.Server.Federation;

public static class FederationSetup
{
    /// <summary>The client of every call to a provider (discovery, JWKS, token, userInfo).</summary>
    public const string HttpClientName = "Portal.Federation";

    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName).GuardOutbound();
        services.AddScoped<IdentityProviders>().AddScoped<FederationRequests>().AddScoped<FederatedSignIn>()
            .AddScoped<FederatedPreSignUp>().AddScoped<OidcSignIn>();
        foreach (var type in OAuthProviderDetailsCheck.Types)
            services.AddScoped<IProviderDetailsCheck>(sp => new OAuthProviderDetailsCheck(type, sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }
}
