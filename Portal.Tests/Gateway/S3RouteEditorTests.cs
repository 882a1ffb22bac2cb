using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Gateway;

/// <summary>An S3 route's CORS rules edited on the Gateway page in chromium: the route editor shows S3's settings (buckets,
/// virtual-hosted names, the CORSConfiguration), refuses a broken document with S3's words, and a saved change is what
/// browsers' preflights get next.</summary>
[Collection(ServerCollection.Name)]
public sealed class S3RouteEditorTests(PortalServer server, Browser browser) : IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    static string Cors(string origin) =>
        $$"""{"CORSRules":[{"AllowedOrigins":["{{origin}}"],"AllowedMethods":["GET","PUT"],"AllowedHeaders":["*"],"ExposeHeaders":["ETag"],"MaxAgeSeconds":600}]}""";

    async Task<(HttpStatusCode Status, string? Origin)> Preflight(string host, string origin)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Options, $"http://{host}:{server.Port}/files/photo.jpg");
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "PUT");
        using var answer = await http.SendAsync(request);
        return (answer.StatusCode, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task An_administrator_edits_an_S3_routes_CORS_rules_and_browsers_preflights_follow()
    {
        var suffix = Guid.NewGuid().ToString("n")[..6];
        var id = $"files-{suffix}";
        var host = $"files-{suffix}.localhost";
        await Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = id, Kind = GatewayRouteKinds.S3, Host = host, Backend = "http://127.0.0.1:9",
                Settings = new()
                {
                    ["BackendAccessKeyId"] = "MINIOKEY", ["BackendSecretAccessKey"] = "minio-secret", ["Buckets"] = "files",
                    ["Cors"] = Cors("http://app.localhost:3000"),
                },
            },
        });
        Assert.Equal((HttpStatusCode.OK, "http://app.localhost:3000"), await Preflight(host, "http://app.localhost:3000"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Preflight(host, "https://shop.localhost")).Status);

        var page = await browser.NewPage(1440, 1000);
        await PortalSignIn.AsAdministrator(page, server);
        await Go(page, $"{server.BaseUrl}/gateway");
        await Settled(page);
        await Assertions.Expect(page.GetByTestId($"authorizer-{id}")).ToHaveTextAsync("IAM: S3 actions on the bucket and key, CORS");
        await page.GetByTestId($"edit-{id}").ClickAsync();
        var cors = page.Locator("textarea[data-testid='setting-Cors'], [data-testid='setting-Cors'] textarea").First;
        await Assertions.Expect(cors).ToHaveValueAsync(Cors("http://app.localhost:3000"));
        await Assertions.Expect(page.Locator("input[data-testid='setting-Buckets'], [data-testid='setting-Buckets'] input").First).ToHaveValueAsync("files");

        // A method S3 does not know: refused with S3's words, nothing changes.
        await cors.FillAsync("""{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}""");
        await page.GetByTestId("route-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("route-error")).ToContainTextAsync("Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
        await page.AnimationsDone();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-gateway-s3-cors.png"), FullPage = true });
        Assert.Equal(HttpStatusCode.OK, (await Preflight(host, "http://app.localhost:3000")).Status);

        // Another origin, saved: the next preflights follow it.
        var pretty = """
            {"CORSRules":[
              {"AllowedOrigins":["https://shop.localhost"],"AllowedMethods":["GET","HEAD","PUT","POST","DELETE"],"AllowedHeaders":["*"],
               "ExposeHeaders":["x-amz-request-id","ETag"],"MaxAgeSeconds":3000}
            ]}
            """;
        await cors.FillAsync(pretty);
        await page.GetByTestId("route-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("route-editor")).ToHaveCountAsync(0);
        var saved = (await Engine.Send(new ListGatewayRoutesRequest())).Routes!.Single(r => r.Id == id);
        Assert.Equal(pretty.Trim(), saved.Settings!["Cors"]);
        Assert.Equal("files", saved.Settings["Buckets"]);
        Assert.Equal((HttpStatusCode.OK, "https://shop.localhost"), await Preflight(host, "https://shop.localhost"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Preflight(host, "http://app.localhost:3000")).Status);
    }
}
