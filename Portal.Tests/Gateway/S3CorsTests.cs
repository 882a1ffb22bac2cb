using System.Globalization;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Tests.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>A Portal with s3rver behind an S3 route that has CORS rules for a browser app's origin, listening also on an
/// extra S3-only port (<c>Portal:Gateway:S3ListenerPort</c>, a free one here; Amplify's is 20005).</summary>
public sealed class S3BrowserServer : PortalServer
{
    public const string Bucket = S3rver.Bucket;
    public const string AppOrigin = "http://app.localhost:5173";
    public S3rver Storage { get; } = new();
    public int S3Port { get; } = FreePort();
    public EchoBackend Echo { get; } = new();

    public static string Cors => """
        {"CORSRules":[
          {"ID":"app","AllowedOrigins":["http://app.localhost:5173"],"AllowedMethods":["GET","HEAD","PUT","POST","DELETE"],"AllowedHeaders":["*"],
           "ExposeHeaders":["x-amz-server-side-encryption","x-amz-request-id","x-amz-id-2","ETag"],"MaxAgeSeconds":3000},
          {"ID":"readers","AllowedOrigins":["https://*.example.com"],"AllowedMethods":["GET","HEAD"],"AllowedHeaders":["authorization","x-amz-*"]}
        ]}
        """;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:Gateway:S3ListenerPort"] = S3Port.ToString(CultureInfo.InvariantCulture) };

    public Dispatcher Engine => Services.GetRequiredService<Dispatcher>();

    public S3BrowserServer() : base(started: false)
    {
        // WebApplicationFactory's Kestrel listens where code tells it (that overrides the Urls that S3ListenerPort adds to
        // in a normal start): both ports here, the S3 one answered as Portal:Gateway:S3ListenerPort says.
        UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, Port);
            options.ListenLocalhost(S3Port);
        });
        StartServer();
        Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "storage", Kind = "S3", Backend = Storage.ServiceUrl,
                Settings = new()
                {
                    ["BackendAccessKeyId"] = S3rver.AccessKeyId, ["BackendSecretAccessKey"] = S3rver.SecretAccessKey, ["VirtualHosts"] = "s3.localhost",
                    ["Buckets"] = Bucket, ["Cors"] = Cors, ["PolicyCacheSeconds"] = "0",
                },
            },
        }).GetAwaiter().GetResult();
        // A route without CORS rules, for the host echo.localhost.
        Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "echo", Kind = "S3", Host = "echo.localhost", Backend = Echo.BaseUrl,
                Settings = new() { ["BackendAccessKeyId"] = "ECHOKEY", ["BackendSecretAccessKey"] = "echo-secret", ["PolicyCacheSeconds"] = "0" },
            },
        }).GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Storage.Dispose();
        Echo.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>CORS as S3 answers it, seen as a browser sees it: preflights answered from the route's rules without
/// credentials (or S3's CORSResponse error), and the allowed origin and exposed headers on real answers and on errors.</summary>
public sealed class S3CorsTests(S3BrowserServer server) : IClassFixture<S3BrowserServer>, IAsyncLifetime
{
    readonly S3Identities identities = new(server);
    readonly HttpClient http = new(new SocketsHttpHandler
    {
        // *.localhost is this machine, as browsers resolve it.
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    });
    const string Bucket = S3BrowserServer.Bucket;

    public Task InitializeAsync() => identities.Setup(Bucket);

    public Task DisposeAsync()
    {
        http.Dispose();
        return Task.CompletedTask;
    }

    AmazonS3Client Client(S3Identities.Identity identity, string? serviceUrl = null, bool pathStyle = true) => new(
        new SessionAWSCredentials(identity.Credentials.AccessKeyId, identity.Credentials.SecretKey, identity.Credentials.SessionToken), new AmazonS3Config
        {
            ServiceURL = serviceUrl ?? server.BaseUrl, ForcePathStyle = pathStyle, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0,
            HttpClientFactory = new LoopbackHttpClientFactory(), RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        });

    AmazonS3Client Direct() => new(new BasicAWSCredentials(S3rver.AccessKeyId, S3rver.SecretAccessKey),
        new AmazonS3Config { ServiceURL = server.Storage.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    async Task<HttpResponseMessage> Preflight(string url, string origin, string method, string? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, url);
        if (origin.Length > 0) request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", method);
        if (headers is not null) request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", headers);
        return await http.SendAsync(request);
    }

    static string? Header(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : answer.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : null;

    static async Task<string> Code(HttpResponseMessage answer)
    {
        var text = await answer.Content.ReadAsStringAsync();
        return text.Contains("<Code>", StringComparison.Ordinal) ? text.Split("<Code>")[1].Split("</Code>")[0] : "";
    }

    const string SdkHeaders = "amz-sdk-invocation-id,amz-sdk-request,authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-security-token,x-amz-user-agent";

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_credentials_as_S3_answers_it()
    {
        foreach (var url in new[]
                 {
                     $"{server.BaseUrl}/{Bucket}/private/someone/file.txt", // path-style on Portal's endpoint (a bucket of the route)
                     $"http://{Bucket}.s3.localhost:{server.Port}/private/someone/file.txt", // virtual-hosted
                     $"http://{Bucket}.s3.localhost:{server.Port}/", // virtual-hosted ListObjects: not the Cognito API's '/'
                     $"http://localhost:{server.S3Port}/{Bucket}/public/x.txt", // the S3 listener, path-style
                 })
        {
            using var answer = await Preflight(url, S3BrowserServer.AppOrigin, "PUT", SdkHeaders);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(S3BrowserServer.AppOrigin, Header(answer, "Access-Control-Allow-Origin"));
            Assert.Equal("GET, HEAD, PUT, POST, DELETE", Header(answer, "Access-Control-Allow-Methods"));
            Assert.Equal(SdkHeaders.Replace(",", ", ", StringComparison.Ordinal), Header(answer, "Access-Control-Allow-Headers"));
            Assert.Equal("x-amz-server-side-encryption, x-amz-request-id, x-amz-id-2, ETag", Header(answer, "Access-Control-Expose-Headers"));
            Assert.Equal("3000", Header(answer, "Access-Control-Max-Age"));
            Assert.Null(Header(answer, "Access-Control-Allow-Credentials"));
        }

        // The second rule: any https subdomain of example.com, reading with the headers it names.
        using var reader = await Preflight($"{server.BaseUrl}/{Bucket}/public/a.txt", "https://shop.example.com", "GET", "authorization,x-amz-date");
        Assert.Equal((HttpStatusCode.OK, "https://shop.example.com", "GET, HEAD"),
            (reader.StatusCode, Header(reader, "Access-Control-Allow-Origin"), Header(reader, "Access-Control-Allow-Methods")));
    }

    [Fact]
    public async Task A_preflight_no_rule_allows_is_refused_with_S3s_CORSResponse_error()
    {
        var url = $"{server.BaseUrl}/{Bucket}/private/someone/file.txt";
        // An origin no rule names; a method the matching origin's rule does not allow; a header it does not allow.
        foreach (var (origin, method, headers) in new[]
                 {
                     ("http://evil.localhost:5173", "GET", (string?)null),
                     ("https://shop.example.com", "PUT", "authorization"),
                     ("https://shop.example.com", "GET", "authorization,content-type"),
                     ("http://shop.example.com", "GET", null),
                 })
        {
            using var answer = await Preflight(url, origin, method, headers);
            Assert.Equal((HttpStatusCode.Forbidden, "CORSResponse"), (answer.StatusCode, await Code(answer)));
            Assert.Null(Header(answer, "Access-Control-Allow-Origin"));
            Assert.Contains("This CORS request is not allowed", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // A route without CORS rules: CORS is not enabled.
        using (var none = await Preflight($"http://echo.localhost:{server.Port}/{Bucket}/x.txt", S3BrowserServer.AppOrigin, "GET"))
        {
            Assert.Equal((HttpStatusCode.Forbidden, "CORSResponse"), (none.StatusCode, await Code(none)));
            Assert.Contains("CORS is not enabled for this bucket.", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Without an Origin: S3's 400.
        using (var anonymous = await Preflight(url, "", "GET"))
            Assert.Equal((HttpStatusCode.BadRequest, "BadRequest"), (anonymous.StatusCode, await Code(anonymous)));

        // A bucket the route does not serve, on Portal's own endpoint, is not the S3 route's: the portal's own answer.
        using var other = await Preflight($"{server.BaseUrl}/admin/users", S3BrowserServer.AppOrigin, "PUT");
        Assert.Null(Header(other, "Access-Control-Allow-Origin"));
        Assert.NotEqual("CORSResponse", await Code(other));
    }

    [Fact]
    public async Task Real_answers_and_S3_errors_carry_the_allowed_origin_and_exposed_headers()
    {
        var me = await identities.User();
        var other = await identities.User();
        var key = $"private/{me.IdentityId}/cors.txt";
        using (var s3 = Client(me)) await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "seen across origins" });

        string Presigned(S3Identities.Identity who)
        {
            using var client = Client(who);
            return client.GetPreSignedURL(new GetPreSignedUrlRequest
            {
                BucketName = Bucket, Key = key, Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
            });
        }

        async Task<HttpResponseMessage> Get(string url, string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Origin", origin);
            return await http.SendAsync(request);
        }

        using (var ok = await Get(Presigned(me), S3BrowserServer.AppOrigin))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("seen across origins", await ok.Content.ReadAsStringAsync());
            Assert.Equal(S3BrowserServer.AppOrigin, Header(ok, "Access-Control-Allow-Origin"));
            Assert.Contains("ETag", Header(ok, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
            Assert.NotNull(Header(ok, "ETag"));
            Assert.Contains("Origin", Header(ok, "Vary"), StringComparison.Ordinal);
            Assert.Null(Header(ok, "Access-Control-Allow-Credentials"));
        }

        // Another user's object: S3's AccessDenied, readable by the page (so Amplify and the SDK can tell what went wrong).
        using (var denied = await Get(Presigned(other), S3BrowserServer.AppOrigin))
        {
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (denied.StatusCode, await Code(denied)));
            Assert.Equal(S3BrowserServer.AppOrigin, Header(denied, "Access-Control-Allow-Origin"));
        }

        // An origin no rule names: the answer comes, without CORS headers, so the browser keeps it from the page.
        using (var foreign = await Get(Presigned(me), "http://evil.localhost:5173"))
        {
            Assert.Equal(HttpStatusCode.OK, foreign.StatusCode);
            Assert.Null(Header(foreign, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task The_routes_rules_win_over_the_backend_buckets_own_CORS_configuration()
    {
        // The backend bucket allows every origin; the route does not allow this one.
        using var direct = Direct();
        await direct.PutCORSConfigurationAsync(new PutCORSConfigurationRequest
        {
            BucketName = Bucket,
            Configuration = new CORSConfiguration { Rules = [new CORSRule { AllowedOrigins = ["*"], AllowedMethods = ["GET", "PUT"], AllowedHeaders = ["*"], ExposeHeaders = ["x-backend"] }] },
        });
        try
        {
            // Directly, s3rver answers the foreign origin.
            using var toBackend = new HttpRequestMessage(HttpMethod.Options, $"{server.Storage.ServiceUrl}/{Bucket}/public/x.txt");
            toBackend.Headers.TryAddWithoutValidation("Origin", "http://evil.localhost:5173");
            toBackend.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
            using (var backendAnswer = await http.SendAsync(toBackend))
                Assert.Equal(HttpStatusCode.OK, backendAnswer.StatusCode);

            // Through the gateway, only the route's rules count: refused at preflight, no CORS headers on the real answer.
            using (var preflight = await Preflight($"{server.BaseUrl}/{Bucket}/public/x.txt", "http://evil.localhost:5173", "GET"))
                Assert.Equal((HttpStatusCode.Forbidden, "CORSResponse"), (preflight.StatusCode, await Code(preflight)));
            var guest = await identities.Guest();
            using (var s3 = Client(await identities.User()))
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "public/cors-backend.txt", ContentBody = "public" });
            using var guestClient = Client(guest);
            var url = guestClient.GetPreSignedURL(new GetPreSignedUrlRequest
            {
                BucketName = Bucket, Key = "public/cors-backend.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
            });
            foreach (var (origin, allowed) in new[] { ("http://evil.localhost:5173", (string?)null), (S3BrowserServer.AppOrigin, S3BrowserServer.AppOrigin) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Origin", origin);
                using var answer = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.Equal(allowed, Header(answer, "Access-Control-Allow-Origin"));
                Assert.DoesNotContain("x-backend", Header(answer, "Access-Control-Expose-Headers") ?? "", StringComparison.Ordinal);
            }
        }
        finally
        {
            await direct.DeleteCORSConfigurationAsync(Bucket);
        }
    }

    [Fact]
    public async Task A_route_with_a_broken_CORS_document_is_refused_when_stored()
    {
        foreach (var cors in new[] { "not json", """{"CORSRules":[]}""", """{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}""",
                     """{"CORSRules":[{"AllowedOrigins":["http://*.*.example.com"],"AllowedMethods":["GET"]}]}""" })
        {
            var e = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Engine.Send(new PutGatewayRouteRequest
            {
                Route = new GatewayRouteType
                {
                    Id = "broken-cors", Kind = "S3", Host = "broken.localhost", Backend = server.Storage.ServiceUrl,
                    Settings = new() { ["BackendAccessKeyId"] = "K", ["BackendSecretAccessKey"] = "S", ["Cors"] = cors },
                },
            }));
            Assert.Equal("Route.Settings", e.Member);
        }
    }

    [Fact]
    public async Task The_S3_listener_serves_S3_requests_path_style_and_nothing_else()
    {
        var listener = $"http://localhost:{server.S3Port}";
        var me = await identities.User();
        using (var s3 = Client(me, listener))
        {
            var key = $"private/{me.IdentityId}/listener.txt";
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "via the S3 port" });
            using var got = await s3.GetObjectAsync(Bucket, key);
            using var reader = new StreamReader(got.ResponseStream);
            Assert.Equal("via the S3 port", await reader.ReadToEndAsync());
            var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"private/{me.IdentityId}/" });
            Assert.Equal([key], listed.S3Objects.Select(o => o.Key));
            // The policy still decides there.
            var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(Bucket, $"private/{Guid.NewGuid()}/x.txt"));
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (e.StatusCode, e.ErrorCode));
        }

        // The portal, its health and metrics, the hosted UI, the Cognito API and OAuth endpoints: all on Portal's port, none on the S3 one.
        foreach (var path in new[] { "/", "/healthz", "/metrics", "/signin", "/_framework/blazor.web.js", "/.well-known/openid-configuration", "/somedomain/oauth2/authorize?client_id=x" })
        {
            using var onS3 = await http.GetAsync(listener + path);
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (onS3.StatusCode, await Code(onS3)));
            Assert.Equal("application/xml", onS3.Content.Headers.ContentType?.MediaType);
        }
        using var cognito = new HttpRequestMessage(HttpMethod.Post, listener + "/")
        {
            Content = new StringContent("""{"ClientId":"x","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{}}""", Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        cognito.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth");
        using (var api = await http.SendAsync(cognito))
            Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (api.StatusCode, await Code(api)));
        using (var health = await http.GetAsync(server.BaseUrl + "/healthz"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
