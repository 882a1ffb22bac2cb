using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;
using Portal.Server.Wire;

namespace Portal.Server;

/// <summary>First start on an empty store: the administration pool with its administrator, a demo pool whose
/// hosted UI works at once, and an API access key. Runs once; later starts only print where things are.</summary>
public sealed class Bootstrap(Dispatcher cognito, IServiceScopeFactory scopes, ApiKeys apiKeys, IOptions<PortalOptions> options,
    IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    public const string Setting = "bootstrap";
    public const string AdminPoolName = "portal-admin";
    public const string DemoPoolName = "demo";
    public static readonly string[] Roles = ["administrators", "operators", "viewers"];

    public sealed record Result(string AdminPoolId, string AdminClientId, string? DemoPoolId, string? DemoClientId, string? DemoDomain);

    public Result? Created { get; private set; }
    string? newAdminPassword;
    AccessKey? newAccessKey;
    AccessKey? accessKey;

    public async Task Run(CancellationToken ct)
    {
        var o = options.Value.Bootstrap;
        (accessKey, var keyCreated) = await apiKeys.EnsureGenerated(ct);
        if (keyCreated) newAccessKey = accessKey;
        if (!o.Enabled) return;

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var done = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Setting, ct);
            if (done is not null)
            {
                Created = JsonSerializer.Deserialize<Result>(done.Value);
                await AllowCallbacksAt(db, Created!, ct);
                return;
            }
        }

        await RemoveUnfinished(ct);
        var admin = await cognito.Send(new CreateUserPoolRequest
        {
            PoolName = AdminPoolName,
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = false },
            AutoVerifiedAttributes = ["email"],
            DeletionProtection = "ACTIVE",
            AdminCreateUserConfig = new AdminCreateUserConfigType { AllowAdminCreateUserOnly = true },
            Policies = new UserPoolPolicyType { PasswordPolicy = PasswordPolicy.Default },
        }, ct);
        var adminPoolId = admin.UserPool!.Id!;
        var adminClient = await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = adminPoolId,
            ClientName = "portal-admin-console",
            GenerateSecret = true,
            AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"],
            CallbackURLs = [$"{BaseUrl}/signin-oidc"],
            LogoutURLs = [$"{BaseUrl}/"],
            SupportedIdentityProviders = ["COGNITO"],
            ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }, ct);
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = adminPoolId, Domain = AdminPoolName }, ct);
        if (o.KillAfterAdminPool)
        {
            Console.WriteLine("Bootstrap: administration pool made; killing this process (Portal:Bootstrap:KillAfterAdminPool).");
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
        foreach (var (role, precedence) in Roles.Select((r, i) => (r, i)))
            await cognito.Send(new CreateGroupRequest
            {
                UserPoolId = adminPoolId, GroupName = role, Precedence = precedence,
                Description = role switch
                {
                    "administrators" => "Everything in the portal.",
                    "operators" => "Manage users and groups.",
                    _ => "Read-only access to the portal.",
                },
            }, ct);

        var password = string.IsNullOrEmpty(o.AdminPassword) ? PasswordPolicy.Generate(PasswordPolicy.Default) : o.AdminPassword;
        await cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = adminPoolId,
            Username = o.AdminUsername,
            MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = o.AdminEmail }, new() { Name = "email_verified", Value = "true" }],
        }, ct);
        await cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = adminPoolId, Username = o.AdminUsername, Password = password, Permanent = true }, ct);
        await cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = adminPoolId, Username = o.AdminUsername, GroupName = "administrators" }, ct);
        if (string.IsNullOrEmpty(o.AdminPassword)) newAdminPassword = password;

        string? demoPoolId = null, demoClientId = null, demoDomain = null;
        if (o.DemoPool)
        {
            var demo = await cognito.Send(new CreateUserPoolRequest
            {
                PoolName = DemoPoolName,
                UsernameAttributes = ["email"],
                AutoVerifiedAttributes = ["email"],
                Schema = [new() { Name = "email", Required = true }],
                AccountRecoverySetting = new AccountRecoverySettingType
                {
                    RecoveryMechanisms = [new RecoveryOptionType { Name = "verified_email", Priority = 1 }],
                },
            }, ct);
            demoPoolId = demo.UserPool!.Id!;
            var demoClient = await cognito.Send(new CreateUserPoolClientRequest
            {
                UserPoolId = demoPoolId,
                ClientName = "demo-app",
                AllowedOAuthFlows = ["code"],
                AllowedOAuthFlowsUserPoolClient = true,
                AllowedOAuthScopes = ["openid", "email", "profile"],
                CallbackURLs = [$"{BaseUrl}/demo/callback"],
                LogoutURLs = [$"{BaseUrl}/demo/"],
                SupportedIdentityProviders = ["COGNITO"],
                ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            }, ct);
            demoClientId = demoClient.UserPoolClient!.ClientId;
            demoDomain = DemoPoolName;
            await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = demoPoolId, Domain = demoDomain }, ct);
        }

        Created = new Result(adminPoolId, adminClient.UserPoolClient!.ClientId!, demoPoolId, demoClientId, demoDomain);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.Settings.Add(new SettingRow { Key = Setting, Value = JsonSerializer.Serialize(Created) });
            await db.SaveChangesAsync(ct);
            await AllowCallbacksAt(db, Created, ct);
        }
    }

    /// <summary>A start that died during the bootstrap (killed, crashed, the machine lost) left its pools without the
    /// bootstrap's setting, which is written last: they are removed here, under the start-up lock, and the bootstrap runs
    /// again from the start, so a database ends with one administration pool and one demo pool whatever happened.</summary>
    async Task RemoveUnfinished(CancellationToken ct)
    {
        List<string> leftovers;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            leftovers = await db.UserPools.Where(p => p.Name == AdminPoolName || p.Name == DemoPoolName).Select(p => p.Id).ToListAsync(ct);
            if (leftovers.Count == 0) return;
            await db.UserPools.Where(p => leftovers.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.DeletionProtection, false), ct);
        }
        foreach (var id in leftovers)
        {
            Console.WriteLine($"Bootstrap: removing {id}, left by a start that did not finish the bootstrap.");
            await cognito.Send(new DeleteUserPoolRequest { UserPoolId = id }, ct);
        }
    }

    /// <summary>The portal and demo app sign in with exact redirect URIs; Portal may now be reached at another address
    /// than on first start (another port, 127.0.0.1 rather than localhost), so their clients learn the current one.</summary>
    async Task AllowCallbacksAt(PortalDb db, Result created, CancellationToken ct)
    {
        var bases = new[] { BaseUrl, BaseUrl.Replace("://localhost", "://127.0.0.1"), BaseUrl.Replace("://127.0.0.1", "://localhost") }.Distinct().ToList();
        foreach (var (clientId, callback, logout) in new[] { (created.AdminClientId, "/signin-oidc", "/"), (created.DemoClientId, "/demo/callback", "/demo/") })
        {
            if (clientId is null) continue;
            var row = await db.AppClients.FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
            if (row is null) continue;
            var settings = AppClientStore.Read(row);
            var callbacks = (settings.CallbackURLs ?? []).Union(bases.Select(b => b + callback)).ToList();
            var logouts = (settings.LogoutURLs ?? []).Union(bases.Select(b => b + logout)).ToList();
            if (callbacks.Count == settings.CallbackURLs?.Count && logouts.Count == settings.LogoutURLs?.Count) continue;
            AppClientStore.Write(row, settings with { CallbackURLs = callbacks, LogoutURLs = logouts });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The public URL decided at start-up (<see cref="PublicUrl"/>).</summary>
    string BaseUrl => options.Value.PublicBaseUrl!;

    /// <summary>Where things are, on the console (never the log): secrets appear here once, on the start that made them.</summary>
    public void PrintUrls(IApplicationBuilder app)
    {
        var b = BaseUrl;
        var lines = new List<string>
        {
            "",
            "Portal is running.",
            $"  Admin portal:          {b}/",
            $"  Cognito API endpoint:  {b}/   (e.g. aws cognito-idp list-user-pools --max-results 10 --endpoint-url {b})",
            $"  Health / metrics:      {b}/healthz  {b}/metrics",
        };
        if (app.ApplicationServices.GetRequiredService<IOptions<Testing.TestingOptions>>().Value.Enabled)
            lines.Add($"  Testing mode: on       {b}/_portal/testing (mailbox, reset, clone, seed, sessions; loopback or admin key only)");
        if (Created is { } c)
        {
            lines.Add($"  Administration pool:   {c.AdminPoolId} (administrator: {options.Value.Bootstrap.AdminUsername})");
            if (c.DemoPoolId is not null)
            {
                lines.Add($"  Demo pool:             {c.DemoPoolId}, app client {c.DemoClientId}");
                lines.Add($"  Demo app (hosted UI):  {b}/demo/   (signs in through {b}/{c.DemoDomain}/login with code + PKCE; sign up there first)");
            }
        }
        var secrets = new List<string>();
        if (newAdminPassword is not null)
            secrets.Add($"Administrator password (shown once, store it now): {newAdminPassword}");
        if (accessKey is not null && newAccessKey is not null)
            secrets.Add($"API access key (shown once): AWS_ACCESS_KEY_ID={accessKey.AccessKeyId} AWS_SECRET_ACCESS_KEY={accessKey.SecretAccessKey}");
        if (secrets.Count > 0 && environment.IsDevelopment())
            lines.AddRange(secrets.Select(s => "  " + s));
        else if (secrets.Count > 0)
            lines.Add($"  Generated secrets (administrator password, API key) were written to {WriteSecrets(secrets)}, readable only by this user: store them, then delete the file.");
        if (accessKey is not null && newAccessKey is null)
            lines.Add($"  API access key id: {accessKey.AccessKeyId} (its secret was given on first start)");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        newAdminPassword = null;
        newAccessKey = null;
    }

    /// <summary>Outside Development secrets never reach standard output (it usually ends up in a log collector):
    /// they go to a file only the owner can read.</summary>
    string WriteSecrets(IEnumerable<string> secrets)
    {
        var folder = Path.Combine(environment.ContentRootPath, storage.Value.DataFolder);
        Directory.CreateDirectory(folder);
        var path = Path.GetFullPath(Path.Combine(folder, "bootstrap-secrets.txt"));
        var file = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, file))
            foreach (var s in secrets) writer.WriteLine(s);
        // A file left from an earlier start keeps its own mode: make it the owner's alone too.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
