namespace Portal.Server.HostedUi;

public static class HostedUiSetup
{
    public static IServiceCollection AddHostedUi(this IServiceCollection services, IConfiguration portal) => services
        .Configure<HostedUiOptions>(portal.GetSection("HostedUi"))
        .AddHostDomainDefaults()
        .AddSingleton<SsoSession>()
        .AddScoped<HostedUiDomains>()
        .AddScoped<HostedUiBranding>()
        .AddHostedUiPages()
        .AddScoped<HostedUiCompletion>()
        .AddScoped<HostedSignIn>()
        .AddScoped<AuthorizationCodes>()
        .AddScoped<IOAuthTokens, OAuthTokenService>();
}
