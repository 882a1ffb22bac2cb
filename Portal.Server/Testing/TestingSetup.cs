using Microsoft.Extensions.Options;

namespace Portal.Server.Testing;

public static class TestingSetup
{
    public const string Section = "Testing";

    /// <summary>Testing mode's options and services (whether the mode is on is read once the host is built, see
    /// <see cref="CheckEnvironment"/>).</summary>
    public static WebApplicationBuilder AddTestingMode(this WebApplicationBuilder builder, IConfigurationSection portal)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(portal);
        builder.Services.Configure<TestingOptions>(portal.GetSection(Section));
        // Always: Messages wakes the mailbox's long polls whether or not the mode is on (a no-op without listeners).
        builder.Services.AddSingleton<MailboxSignal>();
        builder.Services.AddScoped<Mailbox>();
        builder.Services.AddScoped<TestPools>();
        builder.Services.AddScoped<FastHashing>();
        builder.Services.AddSingleton<PoolClocks>();
        builder.Services.AddSingleton<TestIdp>();
        // Portal's OIDC federation reaches the built-in test IdP at Portal's own address, which the outbound guard
        // otherwise refuses as loopback or private: in testing mode that one address and port is allowed.
        builder.Services.PostConfigure<Outbound.OutboundOptions>(outbound =>
        {
            var testing = portal.GetSection(Section).Get<TestingOptions>();
            if (testing is { Enabled: true } && Uri.TryCreate(portal["PublicBaseUrl"], UriKind.Absolute, out var self))
                outbound.AllowedAddresses.AddRange(SelfAddresses(self));
        });
        builder.Services.AddTransient<IStartupFilter, PoolClockStartup>();
        builder.Host.UseServiceProviderFactory(new PoolClockServices(builder.Configuration, builder.Environment));
        builder.Services.AddSingleton<TestingAccess>();
        builder.Services.AddSingleton<Portal.Client.Contract.ITestingMode, PortalTestingMode>();
        builder.Services.AddSingleton<TestPoolSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TestPoolSweeper>());
        return builder;
    }

    static IEnumerable<string> SelfAddresses(Uri self)
    {
        if (System.Net.IPAddress.TryParse(self.Host.Trim('[', ']'), out var address))
            yield return new System.Net.IPEndPoint(address, self.Port).ToString();
        else if (self.IsLoopback)
        {
            yield return new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, self.Port).ToString();
            yield return new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, self.Port).ToString();
        }
    }

    /// <summary>Production refuses to start with the mode on unless <c>Portal:Testing:AllowInProduction</c> says so.</summary>
    public static void CheckEnvironment(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<TestingOptions>>().Value;
        if (options.Enabled && services.GetRequiredService<IHostEnvironment>().IsProduction() && !options.AllowInProduction)
            throw new InvalidOperationException(
                "Portal:Testing:Enabled is true in Production. Testing mode hands out every code and password Portal sends and mints sessions " +
                "for any user: turn it off (Portal__Testing__Enabled=false), or, for a throw-away Production-like test environment, also set " +
                "Portal__Testing__AllowInProduction=true.");
    }

    public static bool Enabled(IServiceProvider services) => services.GetRequiredService<IOptions<TestingOptions>>().Value.Enabled;
}
