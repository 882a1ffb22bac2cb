using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Portal.Server;
using Portal.Server.Admin;
using Portal.Server.Auth;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.Federation;
using Portal.Server.Federation.Saml;
using Portal.Server.Gateway;
using Portal.Server.Gateway.Alb;
using Portal.Server.Gateway.S3;
using Portal.Server.HostedUi;
using Portal.Server.Iam;
using Portal.Server.IdentityPools;
using Portal.Server.Messaging;
using Portal.Server.Outbound;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.ThreatProtection;
using Portal.Server.Sync;
using Portal.Server.Testing;
using Portal.Server.Throttling;
using Portal.Server.Tls;
using Portal.Server.Triggers;
using Portal.Server.UserPools;
using Portal.Server.UserPools.Imports;
using Portal.Server.UserPools.LogDelivery;
using Portal.Server.Wire;

var root = ContentRoot.Find();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = root,
    WebRootPath = Path.Combine(root, "wwwroot"),
});

builder.AddLocalHttps();
builder.ServeBuildOutputAssets();
var portal = builder.Configuration.GetSection("Portal");
builder.Services.Configure<PortalOptions>(portal);
builder.Services.AddPublicUrl();
builder.Services.Configure<ApiOptions>(portal.GetSection("Api"));
builder.Services.Configure<StorageOptions>(portal.GetSection("Storage"));

builder.Services.AddSingleton(TimeProvider.System);
StartupWork.Register(builder.Services);
builder.Services.AddPortalStorage();
builder.Services.AddDataProtection().PersistKeysToDbContext<PortalDb>().SetApplicationName("Portal").ProtectKeysWithPortalKey(portal);
builder.Services.AddCognitoEngine();
builder.Services.AddSingleton<Ids>();
builder.Services.AddSingleton<PasswordHasher>();
builder.Services.AddScoped<UserPoolStore>();
builder.Services.AddScoped<AppClientStore>();
builder.Services.AddSingleton<PoolConfigCache>();
builder.Services.AddScoped<Terms>();
builder.Services.AddScoped<AppClientSettings>();
builder.Services.AddScoped<ResourceServers>();
builder.Services.AddScoped<UserStore>();
builder.Services.AddScoped<UserSearch>();
builder.Services.AddScoped<Credentials>();
builder.Services.AddThreatProtection(portal);
builder.Services.AddSingleton<ApiKeys>();
builder.Services.AddSingleton<SigV4>();
builder.Services.AddSingleton<Bootstrap>();
builder.Services.AddScoped<SignInLockout>();
builder.Services.AddAuthFlows();
builder.Services.AddHostedUi(portal);
builder.Services.AddHttpClient();
builder.Services.AddOutboundGuard(portal);
builder.Services.AddRateLimits(portal);
builder.Services.AddDemoApp();
builder.Services.AddPortalMessaging(portal);
builder.Services.AddSelfService();
builder.Services.AddBranding(portal);
builder.Services.AddTriggers(portal);
builder.Services.AddFederation();
builder.Services.AddSaml(portal);
builder.Services.AddIamSts();
builder.Services.AddIdentityPools();
builder.Services.AddCognitoSync();
builder.Services.AddUserImports();
builder.Services.AddLogDelivery();
builder.Services.AddGateway(portal);
builder.AddGatewayListeners(portal);
builder.Services.AddGatewayAuthorizers();
builder.AddTestingMode(portal);

builder.Services.Configure<ShutdownOptions>(builder.Configuration.GetSection("Portal:Shutdown"));
builder.Services.AddSingleton<ShutdownDrain>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [DatabaseHealthCheck.Ready]);
builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("Portal")).WithMetrics(m => m
    .AddAspNetCoreInstrumentation()
    .AddMeter("Portal")
    // .NET's own: GC, JIT, thread pool, exceptions, process CPU and memory (dotnet_gc_*, dotnet_jit_*, ...).
    .AddMeter("System.Runtime")
    .AddView(IdleMemory.CardinalityLimit)
    .AddPrometheusExporter());
builder.Services.AddIdleMemory(builder.Configuration);

builder.Services.AddAdminSignIn(portal);
// The portal's ICognito: the engine behind the operator's role, with an audit trail.
builder.Services.AddScoped<Portal.Client.Contract.ICognito, OperatorCognito>();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();
app.UsePublicUrl();
// The S3 listener serves S3 alone, and S3 preflights are answered from the routes' CORS rules, ahead of the portal's own CORS.
app.UseS3Gateway();

// N instances may start at once on one database: one at a time migrates and bootstraps, the others then find it done.
// It runs beside the pipeline's set-up below; hosted services and the port wait for it (StartupWork).
app.Services.GetRequiredService<StartupWork>().Begin(async () =>
{
    await using (await StorageSetup.StartupLock(app.Services))
    {
        await StorageSetup.Migrate(app.Services);
        await app.Services.GetRequiredService<Bootstrap>().Run(CancellationToken.None);
    }
});

app.UseMetricsAccess(app.Configuration);
app.UseHostDomains();
app.UseCognitoCors();
app.UseAwsQueryGet();
app.UseStaticFiles();
// Explicit, so host-based pool domains are rewritten to their path before endpoints are matched.
app.UseRouting();
app.UseHostedUiHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapAwsJson();
app.MapCognitoSync();
app.MapUserImportUpload();
app.MapIdentityIssuer();
app.MapTokenEndpoints();
app.MapHostedUi();
app.MapOAuth();
app.MapFederation();
app.MapSaml();
app.MapBrandingAssets();
app.MapDemoApp();
app.MapGateway();
app.MapAlbKeys();
app.MapTestingMode();
app.MapRiskFeedback();
app.MapHealthChecks(DatabaseHealthCheck.LivePath, new() { Predicate = _ => false });
app.MapHealthChecks(DatabaseHealthCheck.ReadyPath, new() { Predicate = c => c.Tags.Contains(DatabaseHealthCheck.Ready) });
app.MapPrometheusScrapingEndpoint(MetricsAccess.Path);
app.MapAdminSignIn();
app.MapRazorComponents<Portal.Client.App>().AddInteractiveServerRenderMode().RequireAuthorization();

app.Lifetime.ApplicationStarted.Register(() =>
{
    app.Services.GetRequiredService<Bootstrap>().PrintUrls(app);
    LocalHttps.PrintTrust(app);
});
app.Run();

public partial class Program;
