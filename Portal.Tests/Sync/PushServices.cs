using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>
/// The far ends of push sync, on a real Kestrel port: a Web Push service (RFC 8030) that checks each POST's VAPID JWT
/// (RFC 8292) and decrypts its aes128gcm payload (RFC 8188/8291) with the browser's private key and auth secret, and an
/// SNS-compatible server speaking the Query API's CreatePlatformEndpoint and Publish that refuses any request whose SigV4
/// signature it cannot reproduce from the secret it was given, or, with an <see cref="StsService"/>, any request not signed
/// with temporary credentials that STS issued (as the pool's role), with their session token, before they expired.
/// </summary>
public sealed class PushServices : IAsyncDisposable
{
    public const string SnsAccessKey = "AKIASNSPUSHTEST00001";
    public const string SnsSecret = "sns/secret/for/push/sync/tests/00000000";

    readonly WebApplication app;
    readonly ConcurrentDictionary<string, Browser> browsers = new();
    readonly StsService? sts;

    public int Port { get; } = PortalServer.FreePort();
    public string Url => $"http://127.0.0.1:{Port}";
    public string SnsEndpoint => Url + "/sns";

    /// <summary>A Web Push message as the push service decrypted it, with the VAPID key that signed its JWT.</summary>
    public sealed record WebPushMessage(string Browser, JsonElement Payload, string VapidKey, JsonElement Claims);

    /// <summary>An SNS request whose signature checked out, and the access key that signed it.</summary>
    public sealed record SnsCall(string Action, Dictionary<string, string> Form, string AccessKeyId = "");

    /// <summary>What arrived, in order; each waiter is woken by the next arrival.</summary>
    public sealed class Inbox<T>
    {
        readonly List<T> items = [];
        TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(T item)
        {
            TaskCompletionSource woken;
            lock (items)
            {
                items.Add(item);
                woken = arrived;
                arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            woken.SetResult();
        }

        public List<T> Snapshot()
        {
            lock (items) return [.. items];
        }

        /// <summary>Waits until an item matching <paramref name="match"/> has arrived (at most <paramref name="limit"/>).</summary>
        public async Task<T> First(Func<T, bool> match, TimeSpan limit)
        {
            using var cts = new CancellationTokenSource(limit);
            while (true)
            {
                Task next;
                lock (items)
                {
                    foreach (var item in items)
                        if (match(item)) return item;
                    next = arrived.Task;
                }
                await next.WaitAsync(cts.Token);
            }
        }
    }

    public Inbox<WebPushMessage> WebPush { get; } = new();
    public Inbox<SnsCall> Sns { get; } = new();
    /// <summary>Requests refused for a bad signature (none expected).</summary>
    public Inbox<string> Refused { get; } = new();
    /// <summary>SNS endpoints that answer Publish with EndpointDisabled, as SNS does once a platform rejected the token.</summary>
    public ConcurrentDictionary<string, bool> DisabledTokens { get; } = new();
    readonly ConcurrentDictionary<string, string> endpointTokens = new();

    /// <summary>A browser's push subscription: its P-256 key pair and auth secret, the endpoint on this service.</summary>
    public sealed class Browser(string name, string endpoint) : IDisposable
    {
        public string Name { get; } = name;
        public ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

        public byte[] PublicKey
        {
            get
            {
                var p = Key.ExportParameters(false);
                return [0x04, .. p.Q.X!, .. p.Q.Y!];
            }
        }

        /// <summary>The PushSubscription JSON a page would hand to RegisterDevice (its toJSON()).</summary>
        public string SubscriptionJson => JsonSerializer.Serialize(new
        {
            endpoint, expirationTime = (object?)null, keys = new { p256dh = B64Url(PublicKey), auth = B64Url(Auth) },
        });

        public void Dispose() => Key.Dispose();
    }

    /// <param name="sts">When given, SNS accepts only credentials this STS issued (not the base key).</param>
    public PushServices(StsService? sts = null)
    {
        this.sts = sts;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        app = builder.Build();
        app.MapPost("/push/{browser}", ReceiveWebPush);
        app.MapPost("/sns", (Func<HttpContext, Task<IResult>>)ReceiveSns);
        app.StartAsync().GetAwaiter().GetResult();
    }

    public Browser NewBrowser()
    {
        var name = "b" + Guid.NewGuid().ToString("n")[..10];
        var browser = new Browser(name, $"{Url}/push/{name}");
        browsers[name] = browser;
        return browser;
    }

    async Task<IResult> ReceiveWebPush(HttpContext http, string browser)
    {
        if (!browsers.TryGetValue(browser, out var b)) return Results.StatusCode(410);
        if (http.Request.Headers.ContentEncoding.ToString() != "aes128gcm") return Results.BadRequest("Content-Encoding must be aes128gcm");
        if (!http.Request.Headers.ContainsKey("TTL")) return Results.BadRequest("TTL is required");
        // RFC 8292: Authorization: vapid t=<JWT>, k=<public key>
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal)) return Results.Unauthorized();
        var parameters = authorization[6..].Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (jwt, key) = (parameters["t"], parameters["k"]);
        var claims = VerifyVapid(jwt, key);
        if (claims is null) return Forbidden("the VAPID JWT's ES256 signature does not verify with k");
        if (claims.Value.GetProperty("aud").GetString() != Url) return Forbidden("aud " + claims.Value.GetProperty("aud"));
        var exp = claims.Value.GetProperty("exp").GetInt64();
        if (exp < Unix() || exp > Unix() + 24 * 3600) return Forbidden($"exp {exp} at {Unix()}");

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var plaintext = Decrypt(body.ToArray(), b);
        WebPush.Add(new WebPushMessage(browser, JsonDocument.Parse(plaintext).RootElement.Clone(), key, claims.Value));
        return Results.StatusCode(201);
    }

    IResult Forbidden(string why)
    {
        Refused.Add("web push: " + why);
        return Results.Text(why, statusCode: 403);
    }

    static long Unix() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>The JWT's ES256 signature checked with the <c>k</c> key; its claims, or null.</summary>
    static JsonElement? VerifyVapid(string jwt, string key)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        var header = JsonDocument.Parse(FromB64Url(parts[0])).RootElement;
        if (header.GetProperty("alg").GetString() != "ES256") return null;
        var point = FromB64Url(key);
        if (point.Length != 65 || point[0] != 4) return null;
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromB64Url(parts[2]), HashAlgorithmName.SHA256)) return null;
        return JsonDocument.Parse(FromB64Url(parts[1])).RootElement.Clone();
    }

    /// <summary>RFC 8291 (aes128gcm, one record): the header's salt and the sender's key, the ECDH secret with the browser's
    /// key, the auth secret, HKDF to the content key and nonce, AES-GCM, then the padding delimiter.</summary>
    static byte[] Decrypt(byte[] body, Browser browser)
    {
        var salt = body[..16];
        var recordSize = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        var idLength = body[20];
        var senderKey = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];
        Assert.True(ciphertext.Length <= recordSize, "one record");
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderKey[1..33], Y = senderKey[33..] },
        });
        var shared = browser.Key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. browser.PublicKey, .. senderKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, browser.Auth, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        var end = Array.LastIndexOf(plain, (byte)2);
        Assert.True(end >= 0 && plain[(end + 1)..].All(x => x == 0), "the last record ends with the 0x02 delimiter and zero padding");
        return plain[..end];
    }

    async Task<IResult> ReceiveSns(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (sts?.Refusal(http.Request, body, "sns") is { } refusal)
        {
            Refused.Add(refusal.Code + ": " + refusal.Why);
            return Error(403, "Sender", refusal.Code, refusal.Why);
        }
        if (sts is null && !SignatureMatches(http.Request, body, out var why))
        {
            Refused.Add(why);
            return Error(403, "Sender", "SignatureDoesNotMatch", why);
        }
        var signer = SigV4Check.AccessKey(http.Request) ?? "";
        var form = Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        var action = form.GetValueOrDefault("Action") ?? "";
        switch (action)
        {
            case "CreatePlatformEndpoint":
            {
                var application = form["PlatformApplicationArn"];
                var platform = application.Split('/')[1];
                var arn = application.Replace(":app/", ":endpoint/", StringComparison.Ordinal) + "/" + Guid.NewGuid();
                endpointTokens[arn] = form["Token"];
                Sns.Add(new SnsCall(action, form, signer));
                return Xml($"<CreatePlatformEndpointResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><CreatePlatformEndpointResult><EndpointArn>{arn}</EndpointArn></CreatePlatformEndpointResult><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></CreatePlatformEndpointResponse>");
            }
            case "Publish":
            {
                Sns.Add(new SnsCall(action, form, signer));
                if (!endpointTokens.TryGetValue(form["TargetArn"], out var token)) return Error(404, "Sender", "NotFound", "Endpoint does not exist");
                if (DisabledTokens.ContainsKey(token)) return Error(400, "Sender", "EndpointDisabled", "Endpoint is disabled");
                return Xml($"<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>{Guid.NewGuid()}</MessageId></PublishResult><ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></PublishResponse>");
            }
            default:
                return Error(400, "Sender", "InvalidAction", $"Unknown action {action}");
        }
    }

    static IResult Xml(string xml) => Results.Content(xml, "text/xml");

    static IResult Error(int status, string type, string code, string message) => Results.Content(
        $"<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>",
        "text/xml", Encoding.UTF8, status);

    static bool SignatureMatches(HttpRequest request, byte[] body, out string why) =>
        SigV4Check.Matches(request, body, SnsAccessKey, SnsSecret, "sns", out why);

    public static string B64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromB64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        foreach (var b in browsers.Values) b.Dispose();
    }
}

/// <summary>A Portal whose push sync talks to <see cref="PushServices"/>'s SNS server as the pools' roles: it assumes them
/// at <see cref="Sts"/> with the SNS settings' keys and the ExternalId, and SNS accepts only the credentials STS issued.</summary>
public sealed class PushPortalServer : PortalServer
{
    public StsService Sts { get; } = new(new Dictionary<string, string> { [PushServices.SnsAccessKey] = PushServices.SnsSecret });
    public PushServices Push { get; }

    public PushPortalServer() : base(started: false)
    {
        Push = new(Sts);
        Start();
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Sync:Sts:Endpoint"] = Sts.Url,
        ["Portal:Sync:Sts:ExternalId"] = StsService.ExternalId,
        ["Portal:Sync:Push:Sns:Endpoint"] = Push.SnsEndpoint,
        ["Portal:Sync:Push:Sns:AccessKeyId"] = PushServices.SnsAccessKey,
        ["Portal:Sync:Push:Sns:SecretAccessKey"] = PushServices.SnsSecret,
        ["Portal:Sync:Push:VapidSubject"] = "mailto:push-tests@example.com",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Push.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Sts.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
