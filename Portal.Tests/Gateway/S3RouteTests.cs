using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Gateway;
using Portal.Server.Gateway.S3;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Auth;
using Portal.Tests.Branding;
using Portal.Tests.IdentityPoolApi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>A Portal with s3rver behind an S3 route configured through the admin API (as an operator would in the portal),
/// and an identity pool whose roles carry Amplify's storage policies.</summary>
public sealed class S3GatewayServer : PortalServer
{
    public const string Bucket = S3rver.Bucket;
    public const long MaxBody = 8 * 1024 * 1024;
    public S3rver Storage { get; } = new();
    public EchoBackend Echo { get; } = new();

    public Dispatcher Engine => Services.GetRequiredService<Dispatcher>();

    public S3GatewayServer()
    {
        Engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "storage", Kind = "S3", Backend = Storage.ServiceUrl,
                Settings = new()
                {
                    ["BackendAccessKeyId"] = S3rver.AccessKeyId, ["BackendSecretAccessKey"] = S3rver.SecretAccessKey, ["VirtualHosts"] = "s3.localhost",
                    ["AllowAdminKeys"] = "true", ["MaxBodyBytes"] = MaxBody.ToString(CultureInfo.InvariantCulture), ["PolicyCacheSeconds"] = "0",
                },
            },
        }).GetAwaiter().GetResult();
        // A second S3 route, only for the host echo.localhost, whose backend shows what it receives.
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

/// <summary>Amplify's storage layout, for one identity pool: users read and write public/, their own protected/{id}/ and
/// private/{id}/, read everyone's protected/; guests read public/ only.</summary>
public sealed class S3Identities
{
    readonly IdentityKit kit;
    public string PoolId { get; private set; } = "";
    public AuthKit.App App { get; private set; } = null!;

    public S3Identities(PortalServer server) => kit = new IdentityKit(server);

    public static string AuthenticatedPolicy(string bucket) => """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"OwnFiles","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject","s3:AbortMultipartUpload"],"Resource":[
            "arn:aws:s3:::BUCKET/public/*","arn:aws:s3:::BUCKET/protected/${cognito-identity.amazonaws.com:sub}/*","arn:aws:s3:::BUCKET/private/${cognito-identity.amazonaws.com:sub}/*"]},
          {"Sid":"ReadProtected","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::BUCKET/protected/*"]},
          {"Sid":"List","Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::BUCKET"],"Condition":{"StringLike":{"s3:prefix":[
            "public/","public/*","protected/","protected/*","private/${cognito-identity.amazonaws.com:sub}/","private/${cognito-identity.amazonaws.com:sub}/*"]}}},
          {"Sid":"NoSecrets","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::BUCKET/public/secret/*"}
        ]}
        """.Replace("BUCKET", bucket, StringComparison.Ordinal);

    public static string GuestPolicy(string bucket) => """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"ReadPublic","Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::BUCKET/public/*"]},
          {"Sid":"ListPublic","Effect":"Allow","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::BUCKET"],"Condition":{"StringLike":{"s3:prefix":["public/","public/*"]}}}
        ]}
        """.Replace("BUCKET", bucket, StringComparison.Ordinal);

    public async Task Setup(string bucket)
    {
        App = await kit.UserPool();
        PoolId = (await kit.Pool(App)).IdentityPoolId!;
        var authenticated = await kit.Role(PoolId, "authenticated");
        var guest = await kit.Role(PoolId, "unauthenticated");
        await Policy(authenticated, "amplify-storage", AuthenticatedPolicy(bucket));
        await Policy(guest, "guest-storage", GuestPolicy(bucket));
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = PoolId, Roles = new() { ["authenticated"] = authenticated, ["unauthenticated"] = guest } });
    }

    Task Policy(string roleArn, string name, string document) => kit.Auth.Db(async db =>
    {
        var role = await db.IamRoles.SingleAsync(r => r.Arn == roleArn);
        db.IamRolePolicies.Add(new IamRolePolicyRow { RoleId = role.RoleId, PolicyName = name, PolicyDocument = document });
        return await db.SaveChangesAsync();
    });

    public sealed record Identity(string IdentityId, Credentials Credentials);

    /// <summary>A signed-in user's identity and credentials, as Amplify gets them (GetId, then GetCredentialsForIdentity).</summary>
    public async Task<Identity> User()
    {
        var user = await kit.SignIn(App);
        var logins = new Dictionary<string, string> { [kit.AmplifyKey(App.PoolId)] = user.IdToken };
        var id = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = PoolId, Logins = logins })).IdentityId!;
        return new Identity(id, (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = id, Logins = logins })).Credentials!);
    }

    public async Task<Identity> Guest()
    {
        var id = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = PoolId })).IdentityId!;
        return new Identity(id, (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = id })).Credentials!);
    }
}

/// <summary>Connects every host name (s3.localhost, bucket.s3.localhost, echo.localhost) to this machine, as browsers do for *.localhost.</summary>
sealed class LoopbackHttpClientFactory : Amazon.Runtime.HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });
}

public sealed class S3RouteTests(S3GatewayServer server) : IClassFixture<S3GatewayServer>, IAsyncLifetime
{
    readonly S3Identities identities = new(server);
    const string Bucket = S3GatewayServer.Bucket;

    public Task InitializeAsync() => identities.Setup(Bucket);

    public Task DisposeAsync() => Task.CompletedTask;

    AmazonS3Client Client(S3Identities.Identity identity, string? serviceUrl = null, bool pathStyle = true, bool chunked = false) =>
        Client(new SessionAWSCredentials(identity.Credentials.AccessKeyId, identity.Credentials.SecretKey, identity.Credentials.SessionToken), serviceUrl, pathStyle, chunked);

    AmazonS3Client Client(AWSCredentials credentials, string? serviceUrl = null, bool pathStyle = true, bool chunked = false) => new(credentials, new AmazonS3Config
    {
        ServiceURL = serviceUrl ?? server.BaseUrl, ForcePathStyle = pathStyle, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0,
        HttpClientFactory = new LoopbackHttpClientFactory(),
        RequestChecksumCalculation = chunked ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED,
    });

    /// <summary>s3rver itself, with its own key: what is really stored.</summary>
    AmazonS3Client Direct() => new(new BasicAWSCredentials(S3rver.AccessKeyId, S3rver.SecretAccessKey),
        new AmazonS3Config { ServiceURL = server.Storage.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    static async Task<string> Text(GetObjectResponse response)
    {
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    static async Task<string?> Stored(AmazonS3Client direct, string key)
    {
        try
        {
            using var got = await direct.GetObjectAsync(Bucket, key);
            return await Text(got);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    static async Task Denied(Func<Task> call, string code = "AccessDenied", HttpStatusCode status = HttpStatusCode.Forbidden)
    {
        var e = await Assert.ThrowsAsync<AmazonS3Exception>(call);
        Assert.Equal((code, status), (e.ErrorCode, e.StatusCode));
    }

    [Fact]
    public async Task A_user_reads_writes_lists_and_deletes_under_their_own_private_prefix()
    {
        var me = await identities.User();
        using var s3 = Client(me);
        var key = $"private/{me.IdentityId}/notes/hello.txt";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "hello from the gateway" });
        Assert.Equal("hello from the gateway", await Stored(Direct(), key));
        using (var got = await s3.GetObjectAsync(Bucket, key))
            Assert.Equal("hello from the gateway", await Text(got));
        var head = await s3.GetObjectMetadataAsync(Bucket, key);
        Assert.Equal(22, head.ContentLength);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"private/{me.IdentityId}/", Delimiter = "/" });
        Assert.Equal(["notes/"], listed.CommonPrefixes.Select(p => p[$"private/{me.IdentityId}/".Length..]));
        await s3.DeleteObjectAsync(Bucket, key);
        Assert.Null(await Stored(Direct(), key));

        // The decisions name who, what and the statement that allowed it.
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var log = (await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = me.IdentityId, Action = "s3:PutObject" })).Decisions!;
        var put = Assert.Single(log);
        Assert.Equal(("storage", "Allow", $"arn:aws:s3:::{Bucket}/{key}", "amplify-storage", "OwnFiles", me.Credentials.AccessKeyId),
            (put.RouteId, put.Decision, put.Resource, put.Policy, put.Statement, put.AccessKeyId));
    }

    [Fact]
    public async Task Another_users_private_prefix_is_refused_with_S3s_AccessDenied()
    {
        var owner = await identities.User();
        var other = await identities.User();
        var key = $"private/{owner.IdentityId}/diary.txt";
        using (var s3 = Client(owner)) await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "mine" });

        using var intruder = Client(other);
        await Denied(() => intruder.GetObjectAsync(Bucket, key));
        await Denied(() => intruder.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "overwritten" }));
        await Denied(() => intruder.DeleteObjectAsync(Bucket, key));
        await Denied(() => intruder.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"private/{owner.IdentityId}/" }));
        // Listing without a prefix is not within any allowed prefix either.
        await Denied(() => intruder.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }));
        // Copying it out needs GetObject on the source.
        await Denied(() => intruder.CopyObjectAsync(Bucket, key, Bucket, $"private/{other.IdentityId}/stolen.txt"));
        Assert.Equal("mine", await Stored(Direct(), key));
        Assert.Null(await Stored(Direct(), $"private/{other.IdentityId}/stolen.txt"));

        // An explicit Deny wins over the Allow on public/*.
        await Denied(() => intruder.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "public/secret/x.txt", ContentBody = "x" }));
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var deny = (await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = other.IdentityId, Decision = "ExplicitDeny" })).Decisions!;
        Assert.Equal(("NoSecrets", "amplify-storage"), (Assert.Single(deny).Statement, deny[0].Policy));

        // The raw answer is S3's XML error.
        var presigned = intruder.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket, Key = key, Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        using var answer = await http.GetAsync(presigned);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("application/xml", answer.Content.Headers.ContentType?.MediaType);
        var xml = await answer.Content.ReadAsStringAsync();
        Assert.Contains("<Code>AccessDenied</Code>", xml, StringComparison.Ordinal);
        Assert.Contains($"<Resource>/{Bucket}/{key}</Resource>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copy_multipart_and_presigned_urls_work_within_the_callers_own_files()
    {
        var me = await identities.User();
        using var s3 = Client(me);
        var mine = $"private/{me.IdentityId}/";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "public/readme.txt", ContentBody = "public words" });
        await s3.CopyObjectAsync(Bucket, "public/readme.txt", Bucket, mine + "copy.txt");
        Assert.Equal("public words", await Stored(Direct(), mine + "copy.txt"));

        // Multipart: two parts (the first at S3's 5 MiB minimum), completed; another aborted.
        var upload = await s3.InitiateMultipartUploadAsync(Bucket, mine + "big.bin");
        var first = new byte[5 * 1024 * 1024];
        RandomNumberGenerator.Fill(first);
        var part1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = mine + "big.bin", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(first) });
        var part2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = mine + "big.bin", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream("tail"u8.ToArray()) });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = mine + "big.bin", UploadId = upload.UploadId,
            PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });
        using (var got = await Direct().GetObjectAsync(Bucket, mine + "big.bin"))
            Assert.Equal(first.Length + 4, got.ContentLength);
        var aborted = await s3.InitiateMultipartUploadAsync(Bucket, mine + "gone.bin");
        // s3rver has no AbortMultipartUpload (it answers MethodNotAllowed to DELETE ?uploadId): the gateway allowed the
        // abort and forwarded it, the backend's answer comes back.
        var unsupported = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.AbortMultipartUploadAsync(Bucket, mine + "gone.bin", aborted.UploadId));
        Assert.Equal("MethodNotAllowed", unsupported.ErrorCode);
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var abort = Assert.Single((await server.Engine.Send(new ListGatewayDecisionsRequest { Caller = me.IdentityId, Action = "s3:AbortMultipartUpload" })).Decisions!);
        Assert.Equal("Allow", abort.Decision);
        using (var other = Client(await identities.User()))
            await Denied(() => other.AbortMultipartUploadAsync(Bucket, mine + "gone.bin", aborted.UploadId));
        // Another user's prefix is refused for multipart too.
        await Denied(() => s3.InitiateMultipartUploadAsync(Bucket, $"private/{Guid.NewGuid()}/x.bin"));

        var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = Bucket, Key = mine + "copy.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        Assert.Equal("public words", await http.GetStringAsync(url));
    }

    [Fact]
    public async Task A_guest_reads_public_files_only()
    {
        var user = await identities.User();
        using (var s3 = Client(user))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "public/guest-readable.txt", ContentBody = "for everyone" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"private/{user.IdentityId}/own.txt", ContentBody = "mine" });
        }
        var guest = await identities.Guest();
        using var anonymous = Client(guest);
        using (var got = await anonymous.GetObjectAsync(Bucket, "public/guest-readable.txt"))
            Assert.Equal("for everyone", await Text(got));
        var listed = await anonymous.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "public/" });
        Assert.Contains(listed.S3Objects, o => o.Key == "public/guest-readable.txt");
        await Denied(() => anonymous.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "public/from-guest.txt", ContentBody = "x" }));
        await Denied(() => anonymous.GetObjectAsync(Bucket, $"private/{user.IdentityId}/own.txt"));
        await Denied(() => anonymous.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "private/" }));
        Assert.Null(await Stored(Direct(), "public/from-guest.txt"));
    }

    [Fact]
    public async Task Virtual_hosted_requests_and_streaming_chunked_uploads_are_verified_and_forwarded()
    {
        var me = await identities.User();
        var key = $"private/{me.IdentityId}/virtual.txt";
        using var s3 = Client(me, $"http://s3.localhost:{server.Port}", pathStyle: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = "virtually hosted" });
        Assert.Equal("virtually hosted", await Stored(Direct(), key));

        // The SDK's streaming upload (aws-chunked with signed chunks and a checksum trailer).
        var body = new byte[300 * 1024];
        RandomNumberGenerator.Fill(body);
        using var chunked = Client(me, chunked: true);
        await chunked.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = key + ".bin", InputStream = new MemoryStream(body), UseChunkEncoding = true,
            ChecksumAlgorithm = ChecksumAlgorithm.CRC32,
        });
        using var got = await Direct().GetObjectAsync(Bucket, key + ".bin");
        using var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task Portals_admin_keys_have_full_access_when_the_route_allows_them()
    {
        using var admin = Client(new BasicAWSCredentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
        await admin.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "private/anyone/admin.txt", ContentBody = "by the operator" });
        var listed = await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        Assert.Contains(listed.S3Objects, o => o.Key == "private/anyone/admin.txt");
        var buckets = await admin.ListBucketsAsync();
        Assert.Contains(buckets.Buckets, b => b.BucketName == Bucket);
    }

    [Fact]
    public async Task The_backend_gets_the_request_path_style_signed_with_its_own_key_never_the_callers()
    {
        var me = await identities.User();
        using var s3 = Client(me, $"http://echo.localhost:{server.Port}");
        var key = $"private/{me.IdentityId}/echo.txt";
        using var answer = await s3.GetObjectAsync(Bucket, key);
        using var echo = JsonDocument.Parse(await Text(answer));
        var headers = echo.RootElement.GetProperty("headers");
        var forwarded = echo.RootElement.GetProperty("path").GetString()!;
        var forwardedPath = forwarded.Split('?')[0];
        Assert.Equal($"/{Bucket}/{key}", forwardedPath);
        var authorization = headers.GetProperty("authorization").GetString()!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ECHOKEY/", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain(me.Credentials.AccessKeyId!, authorization, StringComparison.Ordinal);
        Assert.False(headers.TryGetProperty("x-amz-security-token", out _));
        Assert.Equal("UNSIGNED-PAYLOAD", headers.GetProperty("x-amz-content-sha256").GetString());
        Assert.False(headers.TryGetProperty("x-forwarded-for", out _));
        // The signature is valid for the backend's key.
        var amzDate = headers.GetProperty("x-amz-date").GetString()!;
        var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
        var expected = SigV4Query.Sign(SigV4Query.SigningKey("echo-secret", amzDate[..8], "us-east-1", "s3"), "GET", forwardedPath,
            SigV4Query.ParseQuery(forwarded.Contains('?', StringComparison.Ordinal) ? forwarded.Split('?', 2)[1] : ""),
            [new("host", headers.GetProperty("host").GetString()!), new("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), new("x-amz-date", amzDate)], "UNSIGNED-PAYLOAD", amzDate, scope);
        Assert.EndsWith("Signature=" + expected, authorization, StringComparison.Ordinal);
    }
}

/// <summary>Bad input answers S3's error, never a 5xx: tampered, skewed and expired signatures, unknown keys, forged
/// tokens, bodies that do not match their hash, oversized bodies and metadata. Requests are signed here by hand so that
/// they can be spoiled.</summary>
public sealed class S3BadInputTests(S3GatewayServer server) : IClassFixture<S3GatewayServer>, IAsyncLifetime
{
    readonly S3Identities identities = new(server);
    readonly HttpClient http = new();
    const string Bucket = S3GatewayServer.Bucket;
    S3Identities.Identity me = null!;

    public async Task InitializeAsync()
    {
        await identities.Setup(Bucket);
        me = await identities.User();
    }

    public Task DisposeAsync()
    {
        http.Dispose();
        return Task.CompletedTask;
    }

    string Key(string name) => $"private/{me.IdentityId}/{name}";

    static string Path(string key) => "/" + Bucket + "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A request signed as the SDKs sign it (header), with what can be spoiled: the time, the secret, the token, the payload hash.</summary>
    HttpRequestMessage Signed(HttpMethod method, string path, byte[]? body = null, DateTimeOffset? at = null, string? secret = null, string? accessKeyId = null,
        string? token = null, string? payloadHash = null, Action<HttpRequestMessage>? beforeSigning = null)
    {
        var time = at ?? server.Clock.GetUtcNow();
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var hash = payloadHash ?? Convert.ToHexStringLower(SHA256.HashData(body ?? []));
        // As written: no dot-segment removal, so a spoiled path reaches Portal as sent.
        var request = new HttpRequestMessage(method, new Uri(server.BaseUrl + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (body is not null) request.Content = new ByteArrayContent(body);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", hash);
        request.Headers.TryAddWithoutValidation("x-amz-security-token", token ?? me.Credentials.SessionToken);
        beforeSigning?.Invoke(request);
        var host = $"127.0.0.1:{server.Port}";
        var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
        var q = path.IndexOf('?', StringComparison.Ordinal);
        var signature = SigV4Query.Sign(SigV4Query.SigningKey(secret ?? me.Credentials.SecretKey!, amzDate[..8], "us-east-1", "s3"), method.Method,
            q < 0 ? path : path[..q], SigV4Query.ParseQuery(q < 0 ? "" : path[(q + 1)..]),
            [new("host", host), new("x-amz-content-sha256", hash), new("x-amz-date", amzDate)], hash, amzDate, scope);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKeyId ?? me.Credentials.AccessKeyId}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
        return request;
    }

    async Task<(HttpStatusCode Status, string Code)> Send(HttpRequestMessage request)
    {
        using (request)
        using (var answer = await http.SendAsync(request))
        {
            var text = await answer.Content.ReadAsStringAsync();
            var code = text.Contains("<Code>", StringComparison.Ordinal) ? text.Split("<Code>")[1].Split("</Code>")[0] : "";
            return (answer.StatusCode, code);
        }
    }

    async Task<bool> Exists(string key)
    {
        using var direct = new AmazonS3Client(new BasicAWSCredentials(S3rver.AccessKeyId, S3rver.SecretAccessKey),
            new AmazonS3Config { ServiceURL = server.Storage.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        try
        {
            await direct.GetObjectMetadataAsync(Bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_well_signed_request_passes_so_the_spoiled_ones_below_fail_for_their_spoiling_alone()
    {
        Assert.Equal((HttpStatusCode.OK, ""), await Send(Signed(HttpMethod.Put, Path(Key("fine.txt")), "fine"u8.ToArray())));
        Assert.True(await Exists(Key("fine.txt")));
    }

    [Fact]
    public async Task Tampered_signatures_unknown_keys_and_forged_tokens_are_refused()
    {
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), await Send(Signed(HttpMethod.Put, Path(Key("a.txt")), "a"u8.ToArray(), secret: "wrong-secret")));
        // Signed for one key, sent to another.
        var swapped = Signed(HttpMethod.Get, Path(Key("a.txt")));
        swapped.RequestUri = new Uri(server.BaseUrl + Path(Key("b.txt")));
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), await Send(swapped));
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidAccessKeyId"), await Send(Signed(HttpMethod.Get, Path(Key("a.txt")), accessKeyId: "AKIANOSUCHKEY0000000", secret: "x")));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidToken"), await Send(Signed(HttpMethod.Get, Path(Key("a.txt")), token: "bm90IGEgdG9rZW4=")));
        var broken = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + Path(Key("a.txt")));
        broken.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAX/20261204/us-east-1/s3/aws4_request");
        Assert.Equal((HttpStatusCode.BadRequest, "AuthorizationHeaderMalformed"), await Send(broken));
        Assert.False(await Exists(Key("a.txt")));
    }

    [Fact]
    public async Task Skewed_and_expired_signatures_and_expired_sessions_are_refused()
    {
        var now = server.Clock.GetUtcNow();
        Assert.Equal((HttpStatusCode.Forbidden, "RequestTimeTooSkewed"), await Send(Signed(HttpMethod.Get, Path(Key("x.txt")), at: now.AddMinutes(-16))));
        Assert.Equal((HttpStatusCode.Forbidden, "RequestTimeTooSkewed"), await Send(Signed(HttpMethod.Get, Path(Key("x.txt")), at: now.AddMinutes(16))));

        // A session whose credentials have expired (minted here as STS mints them, already over).
        var sessions = server.Services.GetRequiredService<SessionTokens>();
        var open = await sessions.Open(me.Credentials.SessionToken!, CancellationToken.None);
        var expired = open! with { IssuedAt = now.AddHours(-2), Expiration = now.AddHours(-1) };
        var token = await sessions.Mint(expired, CancellationToken.None);
        Assert.Equal((HttpStatusCode.BadRequest, "ExpiredToken"), await Send(Signed(HttpMethod.Get, Path(Key("x.txt")), token: token)));

        // A presigned URL past its expiry.
        var signedAt = now.AddHours(-2);
        var amzDate = signedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
        var query = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), new("X-Amz-Credential", $"{me.Credentials.AccessKeyId}/{scope}"), new("X-Amz-Date", amzDate),
            new("X-Amz-Expires", "60"), new("X-Amz-Security-Token", me.Credentials.SessionToken!), new("X-Amz-SignedHeaders", "host"),
        };
        var path = Path(Key("x.txt"));
        var signature = SigV4Query.Sign(SigV4Query.SigningKey(me.Credentials.SecretKey!, amzDate[..8], "us-east-1", "s3"), "GET", path, query,
            [new("host", $"127.0.0.1:{server.Port}")], "UNSIGNED-PAYLOAD", amzDate, scope);
        var url = server.BaseUrl + path + "?" + string.Join('&', query.Append(new("X-Amz-Signature", signature)).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await Send(new HttpRequestMessage(HttpMethod.Get, url)));

        // A presigned URL without X-Amz-Expires: S3's AccessDenied naming the parameter, not a server error.
        var noExpiry = query.Where(q => q.Key != "X-Amz-Expires").Append(new("X-Amz-Signature", signature));
        var noExpiryUrl = server.BaseUrl + path + "?" + string.Join('&', noExpiry.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await Send(new HttpRequestMessage(HttpMethod.Get, noExpiryUrl)));
    }

    [Fact]
    public async Task Bodies_must_match_their_hash_and_size_limits_answer_S3s_errors()
    {
        // The body differs from the signed hash: refused, and nothing is stored.
        var request = Signed(HttpMethod.Put, Path(Key("mismatch.txt")), "what was signed"u8.ToArray());
        request.Content = new ByteArrayContent("what was sent!!"u8.ToArray());
        Assert.Equal((HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch"), await Send(request));
        Assert.False(await Exists(Key("mismatch.txt")));

        Assert.Equal((HttpStatusCode.BadRequest, "EntityTooLarge"),
            await Send(Signed(HttpMethod.Put, Path(Key("big.bin")), new byte[S3GatewayServer.MaxBody + 1], payloadHash: "UNSIGNED-PAYLOAD")));
        Assert.Equal((HttpStatusCode.BadRequest, "MetadataTooLarge"), await Send(Signed(HttpMethod.Put, Path(Key("meta.txt")), "m"u8.ToArray(),
            beforeSigning: r => r.Headers.TryAddWithoutValidation("x-amz-meta-notes", new string('n', 3000)))));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidArgument"), await Send(Signed(HttpMethod.Get, Path(Key("..") + "/x"))));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidArgument"), await Send(Signed(HttpMethod.Put, Path(Key("h.txt")), "h"u8.ToArray(), payloadHash: "not-a-hash")));
    }

    [Fact]
    public async Task A_tampered_chunk_of_a_streaming_upload_is_refused_before_it_is_stored()
    {
        async Task<(HttpStatusCode, string)> Upload(string key, bool tamper)
        {
            var data = new byte[100 * 1024];
            RandomNumberGenerator.Fill(data);
            var amzDate = server.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var scope = $"{amzDate[..8]}/us-east-1/s3/aws4_request";
            var signingKey = SigV4Query.SigningKey(me.Credentials.SecretKey!, amzDate[..8], "us-east-1", "s3");
            const string mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
            var path = Path(key);
            var seed = SigV4Query.Sign(signingKey, "PUT", path, [],
                [new("content-encoding", "aws-chunked"), new("host", $"127.0.0.1:{server.Port}"), new("x-amz-content-sha256", mode), new("x-amz-date", amzDate),
                 new("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture))], mode, amzDate, scope);
            var body = new MemoryStream();
            var previous = seed;
            foreach (var chunk in new[] { data[..65536], data[65536..], Array.Empty<byte>() })
            {
                var toSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{amzDate}\n{scope}\n{previous}\n{S3Signature.EmptyHash}\n{Convert.ToHexStringLower(SHA256.HashData(chunk))}";
                var signature = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(toSign)));
                body.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x};chunk-signature={signature}\r\n"));
                var sent = (byte[])chunk.Clone();
                if (tamper && chunk.Length > 0 && chunk.Length < 65536) sent[10] ^= 0xff;
                body.Write(sent);
                body.Write("\r\n"u8);
                previous = signature;
            }
            var request = new HttpRequestMessage(HttpMethod.Put, server.BaseUrl + path) { Content = new ByteArrayContent(body.ToArray()) };
            request.Content.Headers.TryAddWithoutValidation("Content-Encoding", "aws-chunked");
            request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", mode);
            request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-amz-security-token", me.Credentials.SessionToken);
            request.Headers.TryAddWithoutValidation("Authorization",
                $"AWS4-HMAC-SHA256 Credential={me.Credentials.AccessKeyId}/{scope}, SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length, Signature={seed}");
            return await Send(request);
        }

        Assert.Equal((HttpStatusCode.OK, ""), await Upload(Key("chunked-ok.bin"), tamper: false));
        Assert.True(await Exists(Key("chunked-ok.bin")));
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), await Upload(Key("chunked-bad.bin"), tamper: true));
        Assert.False(await Exists(Key("chunked-bad.bin")));
    }
}
