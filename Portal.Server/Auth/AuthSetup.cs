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
        // The sign-in engine's steps, and its registry of flows and challenge responders.
        services.AddScoped<SignInCompletion>();
        services.AddScoped<MfaCodes>();
        services.AddScoped<SecondFactorStep>();
        services.AddScoped<NewPasswordStep>();
        services.AddScoped<PasswordStep>();
        services.AddScoped<SrpStep>();
        services.AddScoped<OtpStep>();
        services.AddScoped<Passkeys.Passkeys>();
        services.AddScoped<WebAuthnStep>();
        services.AddScoped<Passkeys.DiscoverableChallenges>();
        services.AddScoped<FirstFactorStep>();
        services.AddScoped<CustomAuthStep>();
        services.AddScoped<MfaSetupResponder>();
        services.AddScoped<Devices>();
        services.AddScoped<DeviceStep>();
        services.AddScoped<DeviceAnswers>();
        foreach (var type in typeof(SignIn).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            if (typeof(IAuthFlow).IsAssignableFrom(type)) services.AddScoped(typeof(IAuthFlow), type);
            if (typeof(IChallengeResponder).IsAssignableFrom(type)) services.AddScoped(typeof(IChallengeResponder), type);
        }
        services.AddScoped<Mfa>();
        services.AddScoped<AuthEvents>();
        services.AddSingleton<AuthEventSweeps>();
        return services;
    }
}
