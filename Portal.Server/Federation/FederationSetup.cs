namespace Portal.Server.Federation;

public static class FederationSetup
{
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        services.AddScoped<IdentityProviders>().AddScoped<FederationRequests>().AddScoped<FederatedSignIn>()
            .AddScoped<FederatedPreSignUp>().AddScoped<OidcSignIn>();
        foreach (var type in OAuthProviderDetailsCheck.Types)
            services.AddScoped<IProviderDetailsCheck>(sp => new OAuthProviderDetailsCheck(type, sp.GetRequiredService<IHttpClientFactory>()));
        return services;
    }
}
