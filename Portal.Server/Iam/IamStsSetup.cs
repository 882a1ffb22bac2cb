using Portal.Server.Outbound;
using Portal.Server.Sts;

namespace Portal.Server.Iam;

public static class IamStsSetup
{
    /// <summary>IAM (roles, policies, identity providers) and the embedded STS (temporary credentials).</summary>
    public static IServiceCollection AddIamSts(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<IamStore>();
        services.AddSingleton<SessionTokens>();
        services.AddSingleton<WebIdentity>();
        services.AddSingleton<SamlAssertions>();
        services.AddHttpClient(WebIdentity.HttpClientName).GuardOutbound();
        services.AddScoped<RoleCredentials>();
        // Portal:IdentityPools:Sts:Mode picks who mints identity pools' credentials: Portal (Embedded) or a real STS (External).
        services.AddOptions<ExternalStsOptions>().BindConfiguration(ExternalStsOptions.Section);
        services.AddSingleton<ExternalSts>();
        services.AddHttpClient(ExternalSts.HttpClientName).GuardOutbound();
        services.AddScoped<IRoleCredentials>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExternalStsOptions>>().Value.Mode == StsMode.External
                ? ActivatorUtilities.CreateInstance<Portal.Server.IdentityPools.ExternalRoleCredentials>(sp)
                : sp.GetRequiredService<RoleCredentials>());
        services.AddHostedService<SessionKeyWarmUp>();
        return services;
    }

    /// <summary>Creates the STS key at start-up, outside any operation's transaction.</summary>
    sealed class SessionKeyWarmUp(SessionTokens tokens) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => tokens.EnsureKey(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
