using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>A Portal with no configured public URL whose Host filter is opened (<c>AllowedHosts=*</c>), so forged
/// Host headers reach the application: what it builds must still come from its own listening address.</summary>
public sealed class OpenHostServer : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:PublicBaseUrl"] = "",
        ["AllowedHosts"] = "*",
    };
}

/// <summary>Production without <c>Portal:PublicBaseUrl</c>.</summary>
public sealed class ProductionWithoutPublicUrl : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:PublicBaseUrl"] = "" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>Issue 13 items 0, 3 and 4: a forged Host header never becomes the issuer, the admin sign-in's authority
/// or the address the demo app sends codes to.</summary>
public sealed class PublicUrlTests
{
    const string Evil = "evil.example";

    [Fact]
    public async Task A_forged_Host_on_the_first_request_neither_redirects_the_admin_sign_in_nor_breaks_the_portal_nor_changes_the_issuer()
    {
        using var server = new OpenHostServer();
        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl + "/") };

        // The attack: the very first request after start names the attacker's host.
        using (var first = new HttpRequestMessage(HttpMethod.Get, "/healthz"))
        {
            first.Headers.Host = Evil;
            using var answer = await raw.SendAsync(first);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        // The admin portal still sends operators to Portal's own hosted UI, and keeps doing so.
        for (var i = 0; i < 2; i++)
        {
            using var signIn = await raw.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var location = signIn.Headers.Location!.ToString();
            Assert.StartsWith($"{server.BaseUrl}/portal-admin/oauth2/authorize?", location);
            Assert.DoesNotContain(Evil, location);
        }

        // Tokens asked for under a forged Host carry Portal's issuer.
        var kit = new AuthKit(server);
        var app = await kit.Pool();
        await kit.User(app.PoolId, "ivy");
        var forged = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") };
        forged.DefaultRequestHeaders.Host = Evil;
        var tokens = (await new RemoteCognito(forged, null).Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "ivy", ["PASSWORD"] = AuthKit.Password },
        })).AuthenticationResult!;
        Assert.Equal($"{server.BaseUrl}/{app.PoolId}", AuthKit.Claims(tokens.AccessToken!).GetProperty("iss").GetString());
        Assert.Equal($"{server.BaseUrl}/{app.PoolId}", AuthKit.Claims(tokens.IdToken!).GetProperty("iss").GetString());

        using var discovery = JsonDocument.Parse(await forged.GetStringAsync($"/{app.PoolId}/.well-known/openid-configuration"));
        Assert.Equal($"{server.BaseUrl}/{app.PoolId}", discovery.RootElement.GetProperty("issuer").GetString());
        Assert.DoesNotContain(Evil, discovery.RootElement.GetRawText());
    }

    [Fact]
    public async Task A_forged_Host_on_the_demo_callback_sends_nothing_to_that_host_and_shows_no_foreign_body()
    {
        using var server = new OpenHostServer();
        // The attacker's server: it counts what reaches it and answers with a body that must never be shown.
        using var attacker = new TcpListener(IPAddress.Loopback, 0);
        attacker.Start();
        var attackerHost = $"127.0.0.1:{((IPEndPoint)attacker.LocalEndpoint).Port}";
        var reached = 0;
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await attacker.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref reached);
                var stream = socket.GetStream();
                await stream.ReadAtLeastAsync(new byte[8192], 1, throwOnEndOfStream: false, stop.Token);
                var body = "FOREIGN-BODY-FROM-THE-ATTACKER";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), stop.Token);
            }
        });

        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl + "/") };
        using var start = new HttpRequestMessage(HttpMethod.Get, "/demo/");
        start.Headers.Host = attackerHost;
        using var started = await raw.SendAsync(start);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(started.Headers.Location!.Query)["state"].ToString();
        var cookie = started.Headers.GetValues("Set-Cookie").First().Split(';')[0];

        using var callback = new HttpRequestMessage(HttpMethod.Get, $"/demo/callback?code=not-a-real-code&state={Uri.EscapeDataString(state)}");
        callback.Headers.Host = attackerHost;
        callback.Headers.Add("Cookie", cookie);
        using var answered = await raw.SendAsync(callback);
        var page = await answered.Content.ReadAsStringAsync();

        Assert.NotEqual(HttpStatusCode.InternalServerError, answered.StatusCode);
        Assert.Contains("Token exchange failed", page);
        Assert.DoesNotContain("FOREIGN-BODY", page);
        Assert.Equal(0, Volatile.Read(ref reached));
        await stop.CancelAsync();
        attacker.Stop();
        await Task.WhenAny(serving).WaitAsync(TimeSpan.FromSeconds(10));   // the accept loop has ended (cancelled, or stopped)
    }

    [Fact]
    public void Outside_Development_Portal_refuses_to_start_without_a_public_URL()
    {
        var e = Assert.ThrowsAny<Exception>(() => new ProductionWithoutPublicUrl());
        Assert.Contains("Portal:PublicBaseUrl is not set", e.ToString());
    }
}
