using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Auth;
using Portal.Server.Gateway;
using Portal.Server.Gateway.Alb;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Gateway;

/// <summary>
/// Bad input on every route kind, as one table: malformed signatures and tokens, clocks more than 15 minutes apart,
/// expired session tokens and sessions, oversized headers and oversized bodies. Each row names the answer the AWS service
/// the route stands for gives (S3's XML error, API Gateway's 403/401/413 JSON, ALB's 401 page) — never a 5xx — and nothing
/// reaches the backend but the start of a chunked upload whose body is cut off at the limit. Headers past the gateway's 32 KB limit get the route's service's answer (Kestrel's own limit is 64 KB); past 64 KB Kestrel refuses them before any route (431, no body).
/// </summary>
public sealed class GatewayBadInputTests(PortalServer server, ITestOutputHelper output) : IClassFixture<PortalServer>, IAsyncLifetime
{
    const string Bucket = "bad-input-bucket";
    readonly RecordingBackend backend = new();
    readonly HttpClient http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });
    AuthKit kit = null!;
    AuthKit.App app = null!;
    string accessToken = "";
    string apiUrl = "", jwtUrl = "", albUrl = "", albId = "";

    /// <summary>What a row expects: the status, a text the body holds (the error code or message), and optionally the
    /// x-amzn-ErrorType header.</summary>
    sealed record Expect(HttpStatusCode Status, string? BodyHolds, string? ErrorType = null);

    sealed record Row(string Route, string Problem, Func<Task<HttpRequestMessage>> Request, Expect Expect);

    public async Task InitializeAsync()
    {
        kit = new AuthKit(server, inProcessAdmin: true);
        app = await kit.Pool();
        await kit.User(app.PoolId, "bea");
        accessToken = (await kit.PasswordSignIn(app, "bea")).AuthenticationResult!.AccessToken!;
        async Task<string> Put(string kind, string? prefix, Dictionary<string, string> settings)
        {
            var id = PortalServer.Unique("bad");
            await kit.Admin.Send(new PutGatewayRouteRequest
            {
                Route = new GatewayRouteType { Id = id, Kind = kind, PathPrefix = prefix is null ? null : "/" + id, Backend = backend.BaseUrl, Settings = settings },
            });
            return id;
        }
        await Put("S3", null, new() { ["BackendAccessKeyId"] = "BADKEY", ["BackendSecretAccessKey"] = "bad-secret", ["MaxBodyBytes"] = "1024", ["AllowAdminKeys"] = "true" });
        apiUrl = $"{server.BaseUrl}/{await Put(GatewayRouteKinds.IamApi, "", new() { ["ApiId"] = "badinput01", ["MaxBodyBytes"] = "1024" })}";
        jwtUrl = $"{server.BaseUrl}/{await Put(GatewayRouteKinds.JwtApi, "", new() { ["UserPoolId"] = app.PoolId, ["Audience"] = app.ClientId, ["MaxBodyBytes"] = "1024" })}";
        albId = await Put("Alb", "", new() { ["UserPoolId"] = app.PoolId, ["ClientId"] = app.ClientId, ["OnUnauthenticatedRequest"] = "deny" });
        albUrl = $"{server.BaseUrl}/{albId}";
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await backend.DisposeAsync();
    }

    async Task<(string AccessKeyId, string Secret, string Token)> Session(bool expired = false)
    {
        var now = server.Clock.GetUtcNow();
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(), SecretAccessKey = SessionTokens.NewSecret(), RoleArn = "arn:aws:iam::000000000000:role/bad-input",
            RoleId = "AROABADINPUT", RoleName = "bad-input", SessionName = "CognitoIdentityCredentials",
            IssuedAt = expired ? now.AddHours(-2) : now, Expiration = expired ? now.AddHours(-1) : now.AddHours(1),
        };
        return (claims.AccessKeyId, claims.SecretAccessKey, await server.Services.GetRequiredService<SessionTokens>().Mint(claims, CancellationToken.None));
    }

    static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An S3 request signed in the header (UNSIGNED-PAYLOAD); <paramref name="signature"/> replaces the right one.</summary>
    async Task<HttpRequestMessage> S3(HttpMethod method, string key, byte[]? body = null, DateTimeOffset? at = null, bool expired = false,
        string? signature = null, string? token = null, bool chunked = false, bool admin = false)
    {
        // The route allows Portal's admin keys, so a request signed with one gets past authorization to the body checks.
        var c = admin ? (AccessKeyId: PortalServer.AccessKeyId, Secret: PortalServer.SecretAccessKey, Token: "") : await Session(expired);
        var amzDate = Stamp(at ?? server.Clock.GetUtcNow());
        var tokenValue = token ?? c.Token;
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", new Uri(server.BaseUrl).Authority), new("x-amz-content-sha256", SigV4Query.UnsignedPayload), new("x-amz-date", amzDate),
            new("x-amz-security-token", tokenValue),
        };
        var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
        var path = $"/{Bucket}/{key}";
        signature ??= SigV4Query.Sign(SigV4Query.SigningKey(c.Secret, amzDate[..8], "us-east-1", "s3"), method.Method, path, [], headers,
            SigV4Query.UnsignedPayload, amzDate, scope);
        var request = new HttpRequestMessage(method, server.BaseUrl + path);
        foreach (var (name, value) in headers.Skip(1)) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={c.AccessKeyId}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature={signature}");
        if (body is not null) request.Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        if (chunked) request.Headers.TransferEncodingChunked = true;
        return request;
    }

    /// <summary>An execute-api request signed in the header.</summary>
    async Task<HttpRequestMessage> Api(HttpMethod method, string body = "", DateTimeOffset? at = null, bool expired = false, string? signature = null, string? token = null)
    {
        var c = await Session(expired);
        var uri = new Uri(apiUrl + "/notes");
        var amzDate = Stamp(at ?? server.Clock.GetUtcNow());
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.Authority), new("x-amz-date", amzDate), new("x-amz-security-token", token ?? c.Token) };
        signature ??= SigV4Signature.Compute(c.Secret, method.Method, uri.AbsolutePath, [], headers, Encoding.UTF8.GetBytes(body), amzDate, "us-east-1", "execute-api");
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token ?? c.Token);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(c.AccessKeyId, amzDate, "us-east-1", "execute-api", SigV4Signature.SignedHeaders(headers), signature));
        if (body.Length > 0) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>A presigned execute-api URL: its query parameters as given (a null value leaves the parameter out).</summary>
    async Task<HttpRequestMessage> PresignedApi(DateTimeOffset at, int expires = 300, bool withSignature = true)
    {
        var c = await Session();
        var uri = new Uri(apiUrl + "/notes");
        var amzDate = Stamp(at);
        var query = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), new("X-Amz-Credential", $"{c.AccessKeyId}/{amzDate[..8]}/us-east-1/execute-api/aws4_request"),
            new("X-Amz-Date", amzDate), new("X-Amz-Expires", expires.ToString(CultureInfo.InvariantCulture)), new("X-Amz-Security-Token", c.Token),
            new("X-Amz-SignedHeaders", "host"),
        };
        var signature = SigV4Query.Sign(SigV4Query.SigningKey(c.Secret, amzDate[..8], "us-east-1", "execute-api"), "GET", uri.AbsolutePath, query,
            [new("host", uri.Authority)], SigV4Query.Hex(System.Security.Cryptography.SHA256.HashData(Array.Empty<byte>())), amzDate, $"{amzDate[..8]}/us-east-1/execute-api/aws4_request");
        if (withSignature) query.Add(new("X-Amz-Signature", signature));
        return new HttpRequestMessage(HttpMethod.Get, uri + "?" + string.Join('&', query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")));
    }

    /// <summary>A token signed with the pool's own key, with claims changed from a real access token's.</summary>
    async Task<string> Forged(Action<JsonObject> change)
    {
        Assert.True(Jwt.TryRead(accessToken, out var parts));
        var payload = (JsonObject)parts.Payload.DeepClone();
        change(payload);
        await using var scope = server.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<SigningKeys>().Current(app.PoolId, CancellationToken.None);
        using var rsa = key.Create();
        return Jwt.Sign(rsa, key.Kid, payload);
    }

    HttpRequestMessage Jwt_(string? token, string? body = null, bool chunked = false)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, jwtUrl + "/notes");
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (body is not null) request.Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body);
        if (chunked) request.Headers.TransferEncodingChunked = true;
        return request;
    }

    HttpRequestMessage Alb(string? cookie, string? body = null)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, albUrl + "/");
        if (cookie is not null) request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (body is not null) request.Content = new StringContent(body);
        return request;
    }

    static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Fact]
    public async Task Bad_input_on_every_route_kind_answers_the_services_error_and_reaches_nothing()
    {
        var now = server.Clock.GetUtcNow();
        var huge = new string('h', 40 * 1024);
        var big = new string('t', 20 * 1024);
        var sessions = server.Services.GetRequiredService<AlbSessionCookies>();
        var endedSession = sessions.Protect(new AlbSession(albId, "sub-1", "{}", "token", now.AddMinutes(-1)));
        var otherRoute = sessions.Protect(new AlbSession("another-route", "sub-1", "{}", "token", now.AddHours(1)));
        var tampered = accessToken[..^4] + (accessToken[^4..] == "AAAA" ? "BBBB" : "AAAA");
        Expect S3Error(HttpStatusCode status, string code) => new(status, $"<Code>{code}</Code>");
        Expect Gateway(HttpStatusCode status, string message, string? type = null) => new(status, "{\"message\":\"" + message, type);
        var alb401 = new Expect(HttpStatusCode.Unauthorized, "401 Authorization Required");
        var jwt401 = new Expect(HttpStatusCode.Unauthorized, """{"message":"Unauthorized"}""");
        var tooLarge431 = new Expect(HttpStatusCode.RequestHeaderFieldsTooLarge, """{"message":"Request Header Fields Too Large"}""");
        var overKestrel = new string('h', 70 * 1024);

        Row[] table =
        [
            // S3: S3's XML errors.
            new("S3", "malformed Authorization (no Signature)", async () =>
            {
                var r = await S3(HttpMethod.Get, "k");
                r.Headers.Remove("Authorization");
                r.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=ASIAXXXX/{Stamp(now)[..8]}/us-east-1/s3/aws4_request, SignedHeaders=host");
                return r;
            }, S3Error(HttpStatusCode.BadRequest, "AuthorizationHeaderMalformed")),
            new("S3", "wrong signature", () => S3(HttpMethod.Get, "k", signature: new string('0', 64)), S3Error(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")),
            new("S3", "signature of non-hex garbage", () => S3(HttpMethod.Get, "k", signature: "%%not-a-signature%%"), S3Error(HttpStatusCode.Forbidden, "SignatureDoesNotMatch")),
            new("S3", "signed 20 minutes ago", () => S3(HttpMethod.Get, "k", at: now.AddMinutes(-20)), S3Error(HttpStatusCode.Forbidden, "RequestTimeTooSkewed")),
            new("S3", "signed 20 minutes ahead", () => S3(HttpMethod.Get, "k", at: now.AddMinutes(20)), S3Error(HttpStatusCode.Forbidden, "RequestTimeTooSkewed")),
            new("S3", "expired session token", () => S3(HttpMethod.Get, "k", expired: true), S3Error(HttpStatusCode.BadRequest, "ExpiredToken")),
            new("S3", "20 KB forged session token", () => S3(HttpMethod.Get, "k", token: big), S3Error(HttpStatusCode.BadRequest, "InvalidToken")),
            new("S3", "headers over 32 KB", async () => WithHeader(await S3(HttpMethod.Get, "k"), "x-amz-meta-big", huge),
                S3Error(HttpStatusCode.BadRequest, "RequestHeaderSectionTooLarge")),
            new("S3", "headers over Kestrel's 64 KB", async () => WithHeader(await S3(HttpMethod.Get, "k"), "x-amz-meta-big", overKestrel),
                new Expect(HttpStatusCode.RequestHeaderFieldsTooLarge, null)),
            new("S3", "body over MaxBodyBytes", () => S3(HttpMethod.Put, "k", body: new byte[2048]), S3Error(HttpStatusCode.BadRequest, "EntityTooLarge")),
            // A chunked body without x-amz-decoded-content-length: the S3 route answers an S3 XML error (IncompleteBody today;
            // AWS S3 answers 411 MissingContentLength), never a 5xx and nothing forwarded.
            new("S3", "chunked body over MaxBodyBytes (admin key)", () => S3(HttpMethod.Put, "k", body: new byte[4096], chunked: true, admin: true),
                new Expect(HttpStatusCode.BadRequest, "</Code>")),

            // IamApi: API Gateway's 403 {"message"} with x-amzn-ErrorType.
            new("IamApi", "malformed Authorization", () =>
            {
                var r = new HttpRequestMessage(HttpMethod.Get, apiUrl + "/notes");
                r.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=%%%, Signature=");
                return Task.FromResult(r);
            }, Gateway(HttpStatusCode.Forbidden, "Authorization header requires", "IncompleteSignatureException")),
            new("IamApi", "wrong signature", () => Api(HttpMethod.Get, signature: new string('0', 64)),
                Gateway(HttpStatusCode.Forbidden, "The request signature we calculated does not match", "InvalidSignatureException")),
            new("IamApi", "signed 20 minutes ago", () => Api(HttpMethod.Get, at: now.AddMinutes(-20)), Gateway(HttpStatusCode.Forbidden, "Signature expired", "InvalidSignatureException")),
            new("IamApi", "expired session token", () => Api(HttpMethod.Get, expired: true),
                Gateway(HttpStatusCode.Forbidden, "The security token included in the request is expired", "ExpiredTokenException")),
            new("IamApi", "20 KB forged session token", () => Api(HttpMethod.Get, token: big),
                Gateway(HttpStatusCode.Forbidden, "The security token included in the request is invalid", "UnrecognizedClientException")),
            new("IamApi", "presigned 6 minutes ago", () => PresignedApi(now.AddMinutes(-6)), Gateway(HttpStatusCode.Forbidden, "Signature expired", "InvalidSignatureException")),
            new("IamApi", "presigned 20 minutes ahead", () => PresignedApi(now.AddMinutes(20)), Gateway(HttpStatusCode.Forbidden, "Signature not yet current", "InvalidSignatureException")),
            new("IamApi", "presigned without X-Amz-Signature", () => PresignedApi(now, withSignature: false),
                Gateway(HttpStatusCode.Forbidden, "AWS query-string parameters must include", "IncompleteSignatureException")),
            new("IamApi", "presigned with X-Amz-Expires over a week", () => PresignedApi(now, expires: 700000),
                Gateway(HttpStatusCode.Forbidden, "X-Amz-Expires must be", "IncompleteSignatureException")),
            new("IamApi", "headers over 32 KB", async () => WithHeader(await Api(HttpMethod.Get), "x-big", huge), tooLarge431),
            new("IamApi", "body over MaxBodyBytes", () => Api(HttpMethod.Post, new string('x', 2048)),
                Gateway(HttpStatusCode.RequestEntityTooLarge, "HTTP content length exceeded 1024 bytes.", "RequestTooLong")),

            // JwtApi: API Gateway HTTP APIs' 401 / 413.
            new("JwtApi", "tampered signature", () => Task.FromResult(Jwt_(tampered)), jwt401),
            new("JwtApi", "not a JWT", () => Task.FromResult(Jwt_("x.y.z")), jwt401),
            new("JwtApi", "issued 20 minutes in the future", async () => Jwt_(await Forged(p => p["iat"] = now.AddMinutes(20).ToUnixTimeSeconds())), jwt401),
            new("JwtApi", "expired a minute ago", async () => Jwt_(await Forged(p => p["exp"] = now.AddMinutes(-1).ToUnixTimeSeconds())), jwt401),
            new("JwtApi", "20 KB token", () => Task.FromResult(Jwt_(big)), jwt401),
            new("JwtApi", "headers over 32 KB", () => Task.FromResult(WithHeader(Jwt_(accessToken), "x-big", huge)), tooLarge431),
            new("JwtApi", "body over MaxBodyBytes", () => Task.FromResult(Jwt_(accessToken, new string('x', 2048))),
                new Expect(HttpStatusCode.RequestEntityTooLarge, """{"message":"Request Entity Too Large"}""")),
            new("JwtApi", "chunked body over MaxBodyBytes", () => Task.FromResult(Jwt_(accessToken, new string('x', 4096), chunked: true)),
                new Expect(HttpStatusCode.RequestEntityTooLarge, """{"message":"Request Entity Too Large"}""")),

            // Alb (on-unauthenticated-request deny): ALB's 401 page.
            new("Alb", "malformed session cookie", () => Task.FromResult(Alb($"{AlbSessionCookies.DefaultName}-0=%%garbage%%")), alb401),
            new("Alb", "session ended a minute ago", () => Task.FromResult(Alb($"{AlbSessionCookies.DefaultName}-0={endedSession}")), alb401),
            new("Alb", "another route's session", () => Task.FromResult(Alb($"{AlbSessionCookies.DefaultName}-0={otherRoute}")), alb401),
            new("Alb", "four 4000-character shards of garbage", () => Task.FromResult(Alb(string.Join("; ",
                Enumerable.Range(0, 4).Select(i => $"{AlbSessionCookies.DefaultName}-{i}={new string('z', 4000)}")))), alb401),
            new("Alb", "headers over 32 KB", () => Task.FromResult(WithHeader(Alb(null), "x-big", huge)), new Expect(HttpStatusCode.BadRequest, "<h1>400 Bad Request</h1>")),
            new("Alb", "a body without a session", () => Task.FromResult(Alb(null, new string('x', 64 * 1024))), alb401),
        ];

        var failures = new List<string>();
        foreach (var row in table)
        {
            using var request = await row.Request();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : null;
            var ok = response.StatusCode == row.Expect.Status && (row.Expect.BodyHolds is null || body.Contains(row.Expect.BodyHolds, StringComparison.Ordinal))
                     && (row.Expect.ErrorType is null || type == row.Expect.ErrorType);
            output.WriteLine($"{(ok ? "ok  " : "FAIL")} {row.Route,-6} {row.Problem}: {(int)response.StatusCode} {type} {body[..Math.Min(body.Length, 160)]}");
            if (!ok) failures.Add($"{row.Route} / {row.Problem}: expected {(int)row.Expect.Status} holding {row.Expect.BodyHolds} ({row.Expect.ErrorType}), got {(int)response.StatusCode} ({type}) {body[..Math.Min(body.Length, 300)]}");
            if ((int)response.StatusCode >= 500) failures.Add($"{row.Route} / {row.Problem}: a 5xx");
        }
        Assert.Empty(failures);
        // Only the two chunked uploads got as far as the backend: their headers are forwarded while the body streams,
        // and the body is cut off when it passes the limit (the caller gets the error above, the backend a failed upload).
        // Every other refusal reached nothing.
        Assert.True(backend.Received.Count <= 2, $"{backend.Received.Count} requests reached the backend");
        Assert.All(backend.Received, r => Assert.Equal("chunked", r.Headers["transfer-encoding"]));
    }
}
