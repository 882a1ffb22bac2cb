using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Gateway;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Gateway;

/// <summary>A Portal in the corpus's account (123456789012), with an S3 route and an IamApi route (API a1b2c3, stage
/// prod) in front of a backend that answers 200 to whatever reaches it.</summary>
public sealed class CorpusGatewayServer : PortalServer
{
    public const string ApiPrefix = "/corpusapi";
    public RecordingBackend Backend { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Portal:AccountId"] = "123456789012" };

    public CorpusGatewayServer()
    {
        var engine = Services.GetRequiredService<Dispatcher>();
        engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "corpus-s3", Kind = "S3", Backend = Backend.BaseUrl,
                Settings = new() { ["BackendAccessKeyId"] = "CORPUSKEY", ["BackendSecretAccessKey"] = "corpus-secret", ["PolicyCacheSeconds"] = "0" },
            },
        }).GetAwaiter().GetResult();
        engine.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "corpus-api", Kind = GatewayRouteKinds.IamApi, PathPrefix = ApiPrefix, Backend = Backend.BaseUrl,
                Settings = new() { ["ApiId"] = "a1b2c3", ["Stage"] = "prod", ["Region"] = "us-east-1" },
            },
        }).GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>
/// The policy simulator and the gateway decide alike on every case of the IAM differential corpus (the committed
/// fixture Fixtures/iam-corpus.json, written by compat/tests/iam/write-corpus.js from the generator the differential test
/// runs). Each case is evaluated (a) by IAM's SimulateCustomPolicy and (b) the way the gateway decides at request time:
/// a case the gateway can be asked as a real request (an S3 object or listing action, or execute-api:Invoke on the
/// route's API, whose context is what identity credentials carry — the web identity's sub/aud, principal tags, s3:prefix —
/// and whose policies read no key the gateway sets from the connection or the clock) is sent, signed with temporary
/// credentials of a role holding the case's policies (the session or boundary policy as the session policy), through the
/// gateway; any other case goes to the component both routes call, PolicyEvaluator.EvaluateSession, with the case's context.
/// </summary>
public sealed class SimulatorGatewayCorpusTests(CorpusGatewayServer server, ITestOutputHelper output) : IClassFixture<CorpusGatewayServer>
{
    const string Provider = "cognito-identity.amazonaws.com";
    static readonly string[] ObjectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];

    /// <summary>Keys the gateway puts in every request's context from the session, the connection or the clock: a case whose
    /// policies read one of them (without giving it) would see a different request through the gateway than in the simulator.</summary>
    static readonly string[] GatewayKeys =
    [
        "aws:userid", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:TokenIssueTime", "aws:CurrentTime",
        "aws:EpochTime", "aws:SecureTransport", "aws:SourceIp", "aws:RequestedRegion", "aws:FederatedProvider", Provider + ":amr",
    ];

    sealed record Case(string Id, List<string> Policies, string? Session, string Action, string Resource, List<(string Name, List<string> Values, string Type)> Context);

    static List<Case> Corpus()
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "Gateway", "Fixtures", "iam-corpus.json")))!;
        return [.. root["cases"]!.AsArray().Select(c => new Case(
            (string)c!["id"]!,
            [.. c["policies"]!.AsArray().Select(p => p!.ToJsonString())],
            (c["session"] ?? c["boundary"]?[0])?.ToJsonString(),
            (string)c["action"]!,
            (string)c["resource"]!,
            [.. c["context"]!.AsArray().Select(e => ((string)e!["name"]!, e["values"]!.AsArray().Select(v => (string)v!).ToList(), (string)e["type"]!))]))];
    }

    [Fact]
    public async Task The_simulator_and_the_gateway_decide_alike_on_every_corpus_case()
    {
        var cases = Corpus();
        Assert.True(cases.Count >= 300, $"the corpus has {cases.Count} cases");
        var engine = server.Services.GetRequiredService<Dispatcher>();
        using var http = new HttpClient();
        var disagreements = new List<string>();
        int viaS3 = 0, viaIamApi = 0, viaComponent = 0;
        foreach (var c in cases)
        {
            var simulated = (await engine.Send(new SimulateCustomPolicyRequest
            {
                PolicyInputList = c.Policies,
                PermissionsBoundaryPolicyInputList = c.Session is null ? null : [c.Session],
                ActionNames = [c.Action],
                ResourceArns = [c.Resource],
                ContextEntries = [.. c.Context.Select(e => new ContextEntry { ContextKeyName = e.Name, ContextKeyValues = e.Values, ContextKeyType = e.Type })],
            })).EvaluationResults!.Single().EvalDecision!;

            string gateway;
            var route = Realizable(c);
            if (route == "s3")
            {
                viaS3++;
                gateway = await ThroughS3(http, c);
            }
            else if (route == "execute-api")
            {
                viaIamApi++;
                gateway = await ThroughIamApi(http, c);
                // API Gateway's 403 does not say which kind of deny: compare allowed against denied.
                if (gateway == "denied" && simulated != "allowed") gateway = simulated;
            }
            else
            {
                viaComponent++;
                gateway = Component(c);
            }
            if (gateway != simulated) disagreements.Add($"{c.Id} ({route ?? "component"}): simulator {simulated}, gateway {gateway}");
        }
        output.WriteLine($"{cases.Count} corpus cases: {viaS3} as signed S3 requests through the gateway, {viaIamApi} as signed execute-api requests "
                         + $"through the IamApi route, {viaComponent} through PolicyEvaluator.EvaluateSession; {disagreements.Count} disagreements");
        Assert.Empty(disagreements);
        Assert.Equal(cases.Count, viaS3 + viaIamApi + viaComponent);
        // The real-request share must not silently shrink to nothing.
        Assert.True(viaS3 >= 150, $"only {viaS3} cases went through the S3 route");
        Assert.True(viaIamApi >= 1, $"only {viaIamApi} cases went through the IamApi route");
    }

    /// <summary>"s3" or "execute-api" when the case can be sent through that route as it stands, else null.</summary>
    static string? Realizable(Case c)
    {
        string? route = null;
        if (ObjectActions.Contains(c.Action, StringComparer.Ordinal) && S3Address(c.Resource) is { Key: not null }) route = "s3";
        else if (c.Action == "s3:ListBucket" && S3Address(c.Resource) is { Key: null }) route = "s3";
        else if (c.Action == "execute-api:Invoke" && c.Resource.StartsWith("arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/", StringComparison.Ordinal)
                 && c.Resource.Split('/').Length >= 4) route = "execute-api";
        if (route is null) return null;
        foreach (var (name, values, type) in c.Context)
        {
            var fromSession = (name.StartsWith("aws:PrincipalTag/", StringComparison.Ordinal) || name == Provider + ":sub" || name == Provider + ":aud")
                              && values.Count == 1 && type is "string" or "binary";
            var fromListing = name == "s3:prefix" && c.Action == "s3:ListBucket" && values.Count == 1;
            if (!fromSession && !fromListing) return null;
        }
        var given = c.Context.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in c.Policies.Append(c.Session).OfType<string>().SelectMany(KeysOf))
            if (!given.Contains(key) && (GatewayKeys.Contains(key, StringComparer.OrdinalIgnoreCase) || key.StartsWith("s3:", StringComparison.OrdinalIgnoreCase)))
                return null;
        return route;
    }

    /// <summary>The condition keys and policy variables a policy reads.</summary>
    static IEnumerable<string> KeysOf(string policy)
    {
        var doc = JsonNode.Parse(policy)!;
        var statements = doc["Statement"] is JsonArray a ? a.ToList() : [doc["Statement"]];
        foreach (var s in statements)
        {
            if (s?["Condition"] is JsonObject condition)
                foreach (var (_, keys) in condition)
                    foreach (var (key, _) in keys!.AsObject())
                        yield return key;
            foreach (Match m in Regex.Matches(s?.ToJsonString() ?? "", @"\$\{([^}]+)\}"))
            {
                var name = m.Groups[1].Value.Split(',')[0].Trim();
                if (name is not ("*" or "?" or "$")) yield return name;
            }
        }
    }

    static (string Bucket, string? Key)? S3Address(string arn)
    {
        if (!arn.StartsWith("arn:aws:s3:::", StringComparison.Ordinal)) return null;
        var rest = arn["arn:aws:s3:::".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0 || !bucket.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_')) return null;
        return (bucket, slash < 0 ? null : rest[(slash + 1)..]);
    }

    /// <summary>A role holding the case's policies and temporary credentials for it carrying the case's identity.</summary>
    async Task<(string AccessKeyId, string Secret, string Token)> Credentials(Case c)
    {
        var name = "corpus-" + Guid.NewGuid().ToString("n")[..16];
        var roleId = "AROA" + Guid.NewGuid().ToString("n")[..17].ToUpperInvariant();
        var arn = $"arn:aws:iam::123456789012:role/{name}";
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.IamRoles.Add(new IamRoleRow
            {
                RoleId = roleId, RoleName = name, RoleNameKey = name.ToUpperInvariant(), Arn = arn, AssumeRolePolicyDocument = "{}", CreatedAt = server.Clock.GetUtcNow(),
            });
            for (var i = 0; i < c.Policies.Count; i++)
                db.IamRolePolicies.Add(new IamRolePolicyRow { RoleId = roleId, PolicyName = $"p{i + 1}", PolicyDocument = c.Policies[i] });
            await db.SaveChangesAsync();
        }
        string? Value(string key) => c.Context.FirstOrDefault(e => e.Name == key).Values?[0];
        var now = server.Clock.GetUtcNow();
        var (sub, aud) = (Value(Provider + ":sub"), Value(Provider + ":aud"));
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(), SecretAccessKey = SessionTokens.NewSecret(), RoleArn = arn, RoleId = roleId, RoleName = name,
            SessionName = "CognitoIdentityCredentials", IssuedAt = now, Expiration = now.AddHours(1), SessionPolicy = c.Session,
            Provider = sub is null && aud is null ? null : Provider, Subject = sub, Audience = aud,
            Tags = c.Context.Where(e => e.Name.StartsWith("aws:PrincipalTag/", StringComparison.Ordinal))
                .ToDictionary(e => e.Name["aws:PrincipalTag/".Length..], e => e.Values[0]),
        };
        return (claims.AccessKeyId, claims.SecretAccessKey, await server.Services.GetRequiredService<SessionTokens>().Mint(claims, CancellationToken.None));
    }

    HttpRequestMessage Signed((string AccessKeyId, string Secret, string Token) creds, HttpMethod method, string rawPath, string rawQuery, string service)
    {
        var amzDate = server.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = new Uri(server.BaseUrl).Authority;
        var payload = service == "s3" ? SigV4Query.UnsignedPayload : SigV4Query.Hex(System.Security.Cryptography.SHA256.HashData(Array.Empty<byte>()));
        var headers = new List<KeyValuePair<string, string>> { new("host", host), new("x-amz-date", amzDate), new("x-amz-security-token", creds.Token) };
        if (service == "s3") headers.Add(new("x-amz-content-sha256", payload));
        var scope = $"{amzDate[..8]}/us-east-1/{service}/aws4_request";
        var signature = SigV4Query.Sign(SigV4Query.SigningKey(creds.Secret, amzDate[..8], "us-east-1", service), method.Method, rawPath,
            SigV4Query.ParseQuery(rawQuery), headers, payload, amzDate, scope);
        var request = new HttpRequestMessage(method, server.BaseUrl + rawPath + (rawQuery.Length > 0 ? "?" + rawQuery : ""));
        foreach (var (name, value) in headers.Where(h => h.Key != "host")) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={creds.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', headers.Select(h => h.Key).Order(StringComparer.Ordinal))}, Signature={signature}");
        if (method == HttpMethod.Put) request.Content = new ByteArrayContent([]);
        return request;
    }

    async Task<string> ThroughS3(HttpClient http, Case c)
    {
        var creds = await Credentials(c);
        var (bucket, key) = S3Address(c.Resource)!.Value;
        var path = "/" + Uri.EscapeDataString(bucket) + (key is null ? "" : "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString)));
        var query = "";
        if (c.Action == "s3:ListBucket")
        {
            query = "list-type=2";
            if (c.Context.FirstOrDefault(e => e.Name == "s3:prefix").Values is [var prefix]) query += "&prefix=" + Uri.EscapeDataString(prefix);
        }
        var method = c.Action switch { "s3:PutObject" => HttpMethod.Put, "s3:DeleteObject" => HttpMethod.Delete, _ => HttpMethod.Get };
        using var request = Signed(creds, method, path, query, "s3");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode switch
        {
            200 => "allowed",
            403 when body.Contains("because of an explicit deny", StringComparison.Ordinal) => "explicitDeny",
            403 when body.Contains("no identity-based policy allows", StringComparison.Ordinal) => "implicitDeny",
            var status => $"HTTP {status}: {body}",
        };
    }

    async Task<string> ThroughIamApi(HttpClient http, Case c)
    {
        var creds = await Credentials(c);
        var parts = c.Resource.Split('/', 4);
        var method = new HttpMethod(parts[2]);
        var path = CorpusGatewayServer.ApiPrefix + "/" + string.Join('/', (parts.Length > 3 ? parts[3] : "").Split('/').Select(Uri.EscapeDataString));
        using var request = Signed(creds, method, path, "", "execute-api");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode switch
        {
            200 => "allowed",
            403 when body.Contains("is not authorized to perform: execute-api:Invoke", StringComparison.Ordinal) => "denied",
            var status => $"HTTP {status}: {body}",
        };
    }

    /// <summary>The gateway's decision component on the case's own context: the role's policies intersected with the session policy.</summary>
    static string Component(Case c)
    {
        var context = new RequestContext { Action = c.Action, Resource = c.Resource };
        foreach (var (name, values, _) in c.Context) context.With(name, values);
        var identity = c.Policies.Select(p => PolicyDocument.Parse(p, PolicyKind.Identity)).ToList();
        IReadOnlyList<PolicyDocument> session = c.Session is null ? [] : [PolicyDocument.Parse(c.Session, PolicyKind.Identity)];
        return PolicyEvaluator.EvaluateSession(identity, session, context).Decision switch
        {
            Decision.Allow => "allowed",
            Decision.ExplicitDeny => "explicitDeny",
            _ => "implicitDeny",
        };
    }
}
