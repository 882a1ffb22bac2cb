using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.IdentityPoolApi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sync;

/// <summary>What the Cognito Sync tests share: identity pools with developer identities and a role whose policy is the
/// documented per-identity one, each identity's own temporary credentials from Portal's STS, and REST-JSON calls signed
/// with SigV4 for service cognito-sync as an SDK signs them (the path's labels encoded, the canonical path encoded again).</summary>
public sealed class SyncKit(PortalServer server)
{
    public IdentityKit Identities { get; } = new(server);
    public ICognito Admin => Identities.Admin;
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl + "/") };

    /// <summary>Credentials that sign a request: an admin key (no token) or an identity's temporary credentials.</summary>
    public sealed record Signer(string AccessKeyId, string Secret, string? Token);

    public static Signer Developer { get; } = new(PortalServer.AccessKeyId, PortalServer.SecretAccessKey, null);

    public sealed record Device(string PoolId, string IdentityId, Signer Credentials, string UserId);

    public sealed record Answer(int Status, JsonElement Body, string? ErrorType)
    {
        public string Message => Body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
    }

    public const string PerIdentityPolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cognito-sync:*"],"Resource":["arn:aws:cognito-sync:us-east-1:000000000000:identitypool/${cognito-identity.amazonaws.com:aud}/identity/${cognito-identity.amazonaws.com:sub}/*"]}]}
        """;

    /// <summary>An identity pool with developer identities whose authenticated role holds <paramref name="policy"/>.</summary>
    public async Task<(string PoolId, string Developer)> Pool(string policy = PerIdentityPolicy)
    {
        var developer = "login." + Guid.NewGuid().ToString("n")[..12];
        var pool = (await Identities.Pool(null, guests: false, developer: developer)).IdentityPoolId!;
        var role = await Identities.Role(pool, "authenticated");
        await Policy(role, policy);
        await Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = role } });
        return (pool, developer);
    }

    public async Task Policy(string roleArn, string policy)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var roleId = db.IamRoles.Single(r => r.Arn == roleArn).RoleId;
        db.IamRolePolicies.Add(new IamRolePolicyRow { RoleId = roleId, PolicyName = "sync-" + Guid.NewGuid().ToString("n")[..6], PolicyDocument = policy });
        await db.SaveChangesAsync();
    }

    /// <summary>A developer user's identity and its own credentials (GetOpenIdTokenForDeveloperIdentity, then
    /// GetCredentialsForIdentity with the OpenID token, as an app's backend and device do).</summary>
    public async Task<Device> NewDevice((string PoolId, string Developer) pool, string? userId = null)
    {
        userId ??= "user-" + Guid.NewGuid().ToString("n")[..8];
        var token = await Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool.PoolId, Logins = new() { [pool.Developer] = userId } });
        var credentials = (await Identities.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = token.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = token.Token! },
        })).Credentials!;
        return new Device(pool.PoolId, token.IdentityId!, new Signer(credentials.AccessKeyId!, credentials.SecretKey!, credentials.SessionToken), userId);
    }

    public static string Path(string poolId, string? identityId = null, string? dataset = null, string? tail = null)
    {
        var path = "/identitypools/" + Uri.EscapeDataString(poolId);
        if (identityId is not null) path += "/identities/" + Uri.EscapeDataString(identityId);
        if (dataset is not null) path += "/datasets/" + Uri.EscapeDataString(dataset);
        return path + (tail ?? "");
    }

    public static string Records(Device d, string dataset) => Path(d.PoolId, d.IdentityId, dataset, "/records");
    public static string Dataset(Device d, string dataset) => Path(d.PoolId, d.IdentityId, dataset);

    /// <summary>A signed REST-JSON call; <paramref name="pathAndQuery"/> as the SDK sends it (labels percent-encoded).</summary>
    public async Task<Answer> Call(Signer? signer, string method, string pathAndQuery, object? body = null, string service = "cognito-sync")
    {
        var bytes = body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), CognitoJson.Options);
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (signer is not null)
        {
            var host = new Uri(server.BaseUrl).Authority;
            var amzDate = server.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var headers = new List<KeyValuePair<string, string>> { new("host", host), new("x-amz-date", amzDate) };
            if (signer.Token is not null) headers.Add(new("x-amz-security-token", signer.Token));
            var (path, query) = pathAndQuery.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? (pathAndQuery[..q], pathAndQuery[(q + 1)..]) : (pathAndQuery, "");
            var queryPairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.Length > 1 ? p[1] : "")));
            // The canonical path of a REST service other than S3 is the sent path encoded once more.
            var canonical = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
            var signature = SigV4Signature.Compute(signer.Secret, method, canonical, queryPairs, headers, bytes, amzDate, "us-east-1", service);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            if (signer.Token is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", signer.Token);
            request.Headers.TryAddWithoutValidation("Authorization",
                SigV4Signature.Authorization(signer.AccessKeyId, amzDate, "us-east-1", service, SigV4Signature.SignedHeaders(headers), signature));
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement.Clone();
        var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var t) ? t.First() : null;
        return new Answer((int)response.StatusCode, json, type);
    }

    /// <summary>ListRecords after <paramref name="lastSyncCount"/>: the answer's body.</summary>
    public async Task<JsonElement> List(Device d, string dataset, long lastSyncCount = 0, Signer? signer = null, string? extra = null)
    {
        var answer = await Call(signer ?? d.Credentials, "GET", Records(d, dataset) + $"?lastSyncCount={lastSyncCount}{extra}");
        Assert.True(answer.Status == 200, $"ListRecords answered {answer.Status} {answer.ErrorType}: {answer.Message}");
        return answer.Body;
    }

    public static object Replace(string key, string value, long syncCount, DateTimeOffset? device = null) =>
        new Dictionary<string, object?> { ["Op"] = "replace", ["Key"] = key, ["Value"] = value, ["SyncCount"] = syncCount, ["DeviceLastModifiedDate"] = device?.ToUnixTimeSeconds() };

    public static object Remove(string key, long syncCount) => new Dictionary<string, object?> { ["Op"] = "remove", ["Key"] = key, ["SyncCount"] = syncCount };

    /// <summary>UpdateRecords in a sync session just opened by ListRecords.</summary>
    public async Task<Answer> Update(Device d, string dataset, params object[] patches) => await Update(d, dataset, d.Credentials, patches);

    public async Task<Answer> Update(Device d, string dataset, Signer signer, params object[] patches)
    {
        var session = (await List(d, dataset, signer: signer)).GetProperty("SyncSessionToken").GetString();
        return await Call(signer, "POST", Dataset(d, dataset), new Dictionary<string, object?>
        {
            ["SyncSessionToken"] = session, ["DeviceId"] = "device-1", ["RecordPatches"] = patches,
        });
    }

    public static Dictionary<string, JsonElement> ByKey(JsonElement records) =>
        records.EnumerateArray().ToDictionary(r => r.GetProperty("Key").GetString()!, r => r);
}
