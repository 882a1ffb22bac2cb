using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>A production start: generated administrator password, metrics behind a bearer token.</summary>
public sealed class ProductionServer : PortalServer
{
    public const string MetricsToken = "scrape-token-for-tests";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Bootstrap:AdminPassword"] = "",
        ["Portal:Metrics:BearerToken"] = MetricsToken,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>Issue 13 item 15: what an operator's secrets and metrics show to whoever reads the logs or the network.</summary>
public sealed class OperatorSecretsTests
{
    [Fact]
    public async Task Metrics_need_the_configured_bearer_token()
    {
        using var server = new ProductionServer();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") };
        using (var anonymous = await http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.DoesNotContain("http_server", await anonymous.Content.ReadAsStringAsync());
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        }
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProductionServer.MetricsToken);
        using var scraped = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // file modes are POSIX
    public void Outside_Development_the_generated_password_goes_to_an_owner_only_file_not_to_standard_output()
    {
        var console = Console.Out;
        var output = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(output));
        ProductionServer server;
        try { server = new ProductionServer(); }
        finally { Console.SetOut(console); }
        using (server)
        {
            var file = Path.Combine(server.DataFolder, "bootstrap-secrets.txt");
            Assert.True(File.Exists(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var line = File.ReadAllLines(file).Single(l => l.StartsWith("Administrator password", StringComparison.Ordinal));
            var password = line[(line.LastIndexOf(' ') + 1)..];
            Assert.True(password.Length >= 8);
            var printed = output.ToString();
            Assert.DoesNotContain(password, printed);
            Assert.Contains(file, printed);
        }
    }
}
