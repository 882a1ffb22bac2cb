using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

[CollectionDefinition(Name)]
public sealed class PublishedProductionCollection
{
    public const string Name = "published-production";
}

/// <summary>The deployment path of the README: <c>dotnet publish</c> (Release, ReadyToRun, to a folder of its own), started from that
/// folder in Production with production settings; an operator signs in to the portal through the hosted UI with
/// chromium, the portal's scripts load, and the API answers. One test: publishing takes minutes.</summary>
[Collection(PublishedProductionCollection.Name)]
public sealed class PublishedProductionTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_published_output_started_in_Production_serves_the_portal_the_hosted_ui_and_the_api()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-published-" + Guid.NewGuid().ToString("n"));
        var published = Path.Combine(folder, "app");
        try
        {
            await Publish(published);
            Assert.True(File.Exists(Path.Combine(published, "appsettings.json")));
            // Compiled ahead of time (ReadyToRun) for this platform, so the start does not wait for the JIT; the
            // libraries the project leaves out of it stay IL.
            Assert.True(IsReadyToRun(Path.Combine(published, "Portal.Server.dll")), "Portal.Server.dll is not ReadyToRun");
            Assert.True(IsReadyToRun(Path.Combine(published, "Microsoft.EntityFrameworkCore.dll")), "EF Core is not ReadyToRun");
            Assert.False(IsReadyToRun(Path.Combine(published, "Jint.dll")), "Jint.dll was compiled ahead of time");
            await using var portal = new PortalProcess(Path.Combine(published, "Portal.Server.dll"), new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Portal__Storage__DataFolder"] = Path.Combine(folder, "data"),
                ["Portal__DataProtection__KeyFile"] = Path.Combine(folder, "keyring.key"),
                ["Portal__Bootstrap__AdminPassword"] = PortalServer.AdminPassword,
                ["Portal__Api__AccessKeys__0__AccessKeyId"] = PortalServer.AccessKeyId,
                ["Portal__Api__AccessKeys__0__SecretAccessKey"] = PortalServer.SecretAccessKey,
            }, workingDirectory: published);
            await portal.Running(TimeSpan.FromMinutes(3));
            // It runs from its own folder, not from a source tree, and is not the build output.
            // The host prints these after its banner (stdout and stderr are read apart): wait for them, within 30 s.
            await portal.Printed($"Content root path: {published}", TimeSpan.FromSeconds(30));
            await portal.Printed("Hosting environment: Production", TimeSpan.FromSeconds(30));
            // Once the start has settled, its garbage is collected and the memory given back (IdleMemory).
            await portal.Printed("Start-up garbage collected: heap committed", TimeSpan.FromSeconds(30));
            Assert.DoesNotContain("running from its build output", portal.Output, StringComparison.Ordinal);

            using var http = new HttpClient();
            using (var ready = await http.GetAsync(portal.BaseUrl + "/readyz"))
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            var page = await browser.NewPage();
            var failed = new List<string>();
            page.Response += (_, r) =>
            {
                var asset = r.Url.Contains("/_framework/", StringComparison.Ordinal) || r.Url.Contains("/_content/", StringComparison.Ordinal)
                            || r.Url.Split('?')[0] is var path && (path.EndsWith(".css", StringComparison.Ordinal) || path.EndsWith(".js", StringComparison.Ordinal));
                if (asset && r.Status >= 400) lock (failed) failed.Add($"{r.Status} {r.Url}");
            };
            await page.GotoAsync(portal.BaseUrl + "/");
            // The hosted UI of the administration pool's domain.
            await page.Reach(url => url.Contains("/portal-admin/login"));
            await page.GetByLabel("Username or email").FillAsync("admin");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(PortalServer.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Reach(url => url.StartsWith(portal.BaseUrl, StringComparison.Ordinal) && !url.Contains("/portal-admin/") && !url.Contains("signin-oidc"));
            // The portal, interactive: Blazor's script and MudBlazor's came from the published folder.
            await page.GotoAsync(portal.BaseUrl + "/pools");
            await page.WaitForFunctionAsync("() => !!(window.Blazor && window.mudpopoverHelper && window.mudpopoverHelper.mainContainerClass)");
            await Assertions.Expect(page.GetByText("portal-admin").First).ToBeVisibleAsync();
            lock (failed) Assert.Empty(failed);
            // Monaco's files are no static-asset endpoints (StaticAssetEndpointsTests): the published wwwroot serves them,
            // a language the trigger editor loads later included.
            using (var language = await http.GetAsync(portal.BaseUrl + "/_content/BlazorMonaco/lib/monaco-editor/min/vs/basic-languages/javascript/javascript.js"))
                Assert.Equal(HttpStatusCode.OK, language.StatusCode);

            var api = new RemoteCognito(new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/") },
                new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
            var pools = await api.Send(new ListUserPoolsRequest { MaxResults = 60 });
            Assert.Contains(pools.UserPools!, p => p.Name == "portal-admin");
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    /// <summary>Whether the assembly carries native code (a ReadyToRun image has a managed native header).</summary>
    static bool IsReadyToRun(string path)
    {
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    static async Task Publish(string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = PortalServer.RepositoryRoot };
        foreach (var a in new[] { "publish", Path.Combine(PortalServer.RepositoryRoot, "Portal.Server", "Portal.Server.csproj"), "-c", "Release", "-o", output, "-v", "q", "-nologo" })
            start.ArgumentList.Add(a);
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(25));
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }
}
