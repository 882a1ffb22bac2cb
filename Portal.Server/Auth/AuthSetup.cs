namespace Portal.Server.Auth;

public static class AuthSetup
{
    /// <summary>The services of the sign-in flows and tokens (the operations themselves are found by the engine).</summary>
    public static IServiceCollection AddAuthFlows(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<Issuer>();
        services.AddSingleton<SigningKeyCache>();
        services.AddScoped<SigningKeys>();
        services.AddScoped<Tokens>();
        services.AddOptions<RefreshTokenOptions>().BindConfiguration("Portal:RefreshTokens");
        services.AddScoped<TokenRevocation>();
        services.AddScoped<IAccessTokens, AccessTokenValidator>();
        services.AddScoped<AuthSessions>();
        services.AddScoped<UnknownUsers>();
        services.AddSingleton<UnknownUserFailures>();
        services.AddScoped<SignIn>();
        services.AddScoped<Mfa>();
        services.AddScoped<AuthEvents>();
        return services;
    }
}
