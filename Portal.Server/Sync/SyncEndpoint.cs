using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sync;
using Portal.Server.Engine;
using Portal.Server.Gateway.IamApi;
using Portal.Server.Iam.Policies;
using Portal.Server.Throttling;
using Portal.Server.Wire;

namespace Portal.Server.Sync;

/// <summary>
/// Cognito Sync on the wire: REST-JSON as the cognito-sync model routes it (<c>GET /identitypools/{IdentityPoolId}/
/// identities/{IdentityId}/datasets</c>, …), SigV4-signed for service <c>cognito-sync</c>, onto the dispatcher. Errors are
/// REST-JSON AWS errors: the <c>x-amzn-ErrorType</c> header, a JSON body, the model's HTTP status.
/// <para>Who may call: developer credentials (an admin access key, the account's root) call everything. An identity's
/// temporary credentials (Portal's STS, read from the session token without a database read) call only its own
/// datasets: the session's identity and pool must be those of the path, and <c>cognito-sync:{Operation}</c> on the
/// dataset's ARN must be allowed by the role's policies and the session policy, as IAM decides on AWS. Pool-level
/// operations need developer credentials.</para>
/// </summary>
public static class SyncEndpoint
{
    public const string Service = "cognito-sync";

    /// <summary>How a route reaches the records: an identity's own operations (its credentials or developer credentials),
    /// those Cognito serves to the identity's own temporary credentials only (push sync's devices and subscriptions: "This
    /// API can only be called with temporary credentials provided by Cognito Identity"), or the pool's (developer
    /// credentials only).</summary>
    enum Scope { Identity, IdentityOnly, Pool }

    sealed record Route(string Method, string Template, Type Request, Scope Scope);

    static readonly Route[] Routes =
    [
        new("GET", "/identitypools", typeof(ListIdentityPoolUsageRequest), Scope.Pool),
        new("GET", "/identitypools/{IdentityPoolId}", typeof(Portal.Client.Contract.Sync.DescribeIdentityPoolUsageRequest), Scope.Pool),
        new("GET", "/identitypools/{IdentityPoolId}/configuration", typeof(GetIdentityPoolConfigurationRequest), Scope.Pool),
        new("POST", "/identitypools/{IdentityPoolId}/configuration", typeof(SetIdentityPoolConfigurationRequest), Scope.Pool),
        new("GET", "/identitypools/{IdentityPoolId}/events", typeof(GetCognitoEventsRequest), Scope.Pool),
        new("POST", "/identitypools/{IdentityPoolId}/events", typeof(SetCognitoEventsRequest), Scope.Pool),
        new("POST", "/identitypools/{IdentityPoolId}/bulkpublish", typeof(BulkPublishRequest), Scope.Pool),
        new("POST", "/identitypools/{IdentityPoolId}/getBulkPublishDetails", typeof(GetBulkPublishDetailsRequest), Scope.Pool),
        new("GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}", typeof(DescribeIdentityUsageRequest), Scope.Identity),
        new("GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets", typeof(ListDatasetsRequest), Scope.Identity),
        new("GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}", typeof(DescribeDatasetRequest), Scope.Identity),
        new("POST", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}", typeof(UpdateRecordsRequest), Scope.Identity),
        new("DELETE", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}", typeof(DeleteDatasetRequest), Scope.Identity),
        new("GET", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/records", typeof(ListRecordsRequest), Scope.Identity),
        new("POST", "/identitypools/{IdentityPoolId}/identity/{IdentityId}/device", typeof(RegisterDeviceRequest), Scope.IdentityOnly),
        new("POST", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/subscriptions/{DeviceId}", typeof(SubscribeToDatasetRequest), Scope.IdentityOnly),
        new("DELETE", "/identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets/{DatasetName}/subscriptions/{DeviceId}", typeof(UnsubscribeFromDatasetRequest), Scope.IdentityOnly),
    ];

    /// <summary>Query string members (the model's locationName → member).</summary>
    static readonly Dictionary<string, string> QueryMembers = new(StringComparer.Ordinal)
    {
        ["nextToken"] = "NextToken", ["maxResults"] = "MaxResults", ["lastSyncCount"] = "LastSyncCount", ["syncSessionToken"] = "SyncSessionToken",
    };

    static readonly HashSet<string> NumberMembers = ["MaxResults", "LastSyncCount"];

    /// <summary>The model's HTTP status of each error the service answers with (400 for the rest).</summary>
    static readonly Dictionary<string, int> Statuses = new(StringComparer.Ordinal)
    {
        ["NotAuthorizedException"] = 403, ["AccessDeniedException"] = 403, ["ResourceNotFoundException"] = 404, ["ResourceConflictException"] = 409,
        ["TooManyRequestsException"] = 429, ["LambdaThrottledException"] = 429, ["InternalErrorException"] = 500,
    };

    public static IEndpointRouteBuilder MapCognitoSync(this IEndpointRouteBuilder app)
    {
        foreach (var route in Routes)
            app.MapMethods(route.Template, [route.Method], (HttpContext http) => Handle(http, route)).DisableAntiforgery()
                .WithName("CognitoSync" + Portal.Client.Contract.Operations.NameOf(route.Request));
        Push.PushSetup.MapPushSync(app);
        Streams.StreamLinks.MapStreamLinks(app);
        return app;
    }

    static async Task Handle(HttpContext http, Route route)
    {
        var ct = http.RequestAborted;
        var services = http.RequestServices;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Sync");
        var name = Portal.Client.Contract.Operations.NameOf(route.Request);
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
            var body = await ReadBody(http.Request, ct);
            var request = Build(http, route, body);
            var caller = await Authorize(http, route, request, body, ct);
            await services.GetRequiredService<RateLimits>().CheckRequest(http, request, ct);
            var response = await SendTo(services.GetRequiredService<Dispatcher>(), request, route.Request, Caller.Wire(caller?.AccessKeyId), ct);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, response, response.GetType(), CognitoJson.Options, ct);
        }
        catch (CognitoException e)
        {
            if (e.Status >= 500) log.LogError(e, "{Operation} failed", name);
            await WriteError(http, e.Type, e.Message, e.Status);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "{Operation} failed with an unexpected error", name);
            await WriteError(http, "InternalErrorException", "An internal error occurred.", 500);
        }
    }

    static Task<byte[]> ReadBody(HttpRequest request, CancellationToken ct) =>
        HttpMethods.IsPost(request.Method) ? AwsJsonEndpoint.ReadBody(request, ct) : Task.FromResult(Array.Empty<byte>());

    /// <summary>The operation's record from the body, the path's labels, the query string and the client-context header.</summary>
    static object Build(HttpContext http, Route route, byte[] body)
    {
        JsonObject json;
        try
        {
            json = body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject
                   ?? throw new SerializationException("Start of structure or map expected.");
        }
        catch (JsonException)
        {
            throw new SerializationException("The request body is not a valid JSON object.");
        }
        foreach (var (key, value) in http.Request.RouteValues)
            if (value is string s) json[key] = s;
        foreach (var (key, values) in http.Request.Query)
        {
            if (!QueryMembers.TryGetValue(key, out var member) || values.ToString() is not { Length: > 0 } text) continue;
            if (!NumberMembers.Contains(member)) json[member] = text;
            else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) json[member] = number;
            else throw new InvalidParameterException($"1 validation error detected: Value '{text}' at '{key}' is not a number.", member);
        }
        if (http.Request.Headers["x-amz-Client-Context"].ToString() is { Length: > 0 } context) json["ClientContext"] = context;
        try
        {
            return json.Deserialize(route.Request, CognitoJson.Options) ?? throw new SerializationException("The request body is null.");
        }
        catch (JsonException e)
        {
            var member = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            throw new InvalidParameterException($"1 validation error detected: Value at '{member}' has the wrong type or format.", member);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new SerializationException("The request does not match the operation's input shape.");
        }
    }

    /// <summary>Verifies the signature and decides, as described on the class; answers the signed caller (null when
    /// signatures are not required and none was given).</summary>
    static async Task<SignedCaller?> Authorize(HttpContext http, Route route, object request, byte[] body, CancellationToken ct)
    {
        var services = http.RequestServices;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0 && !services.GetRequiredService<IOptions<ApiOptions>>().Value.RequireSignature)
            return route.Scope == Scope.IdentityOnly ? throw DeveloperRefused() : null;
        if (IamApiAuthorizer.CredentialService(authorization) is { } service && service != Service)
            throw new InvalidSignatureException($"Credential should be scoped to correct service: '{Service}'.");
        var caller = await services.GetRequiredService<SigV4>().Authenticate(http.Request, body, SignedPath(http.Request), ct);
        WireCallers.Set(http, caller);
        if (caller.Session is not { } session) return route.Scope == Scope.IdentityOnly ? throw DeveloperRefused() : caller;

        var name = Portal.Client.Contract.Operations.NameOf(route.Request);
        if (route.Scope == Scope.Pool)
            throw new NotAuthorizedException($"{name} can only be called with developer credentials, not with an identity's temporary credentials.");
        var poolId = Member(request, "IdentityPoolId");
        var identityId = Member(request, "IdentityId");
        // One identity's credentials reach its own datasets only, whatever its role allows.
        if (session.Provider != "cognito-identity.amazonaws.com" || session.Audience != poolId || session.Subject != identityId)
            throw new NotAuthorizedException($"Access to Identity '{identityId}' is forbidden.");

        var options = services.GetRequiredService<IOptions<PortalOptions>>().Value;
        var resource = Arn(options.Region, options.AccountId, poolId, identityId, Member(request, "DatasetName"));
        var action = $"{Service}:{name}";
        // The role's policies from the per-instance cache: a change through this instance applies at once, through another
        // within a second (the change notifications), PolicyCacheTime at most (README, Sync).
        var roles = services.GetRequiredService<Gateway.S3.S3Policies>();
        var policies = await roles.OfRoleArn(session.RoleArn, PolicyCacheTime, ct);
        var context = SessionContext.For(session, action, resource, http.Connection.RemoteIpAddress?.ToString(),
            services.GetRequiredService<TimeProvider>().GetUtcNow(), http.Request.IsHttps);
        if (!policies.Evaluate(await roles.OfSession(session.SessionPolicy, session.SessionPolicyArns, PolicyCacheTime, ct), context).Allowed)
            throw new AccessDeniedException($"User: {session.AssumedRoleArn} is not authorized to perform: {action} on resource: {resource}");
        return caller;
    }

    /// <summary>How long an instance keeps a role's policies for identity calls when no change notification reaches it.</summary>
    public static readonly TimeSpan PolicyCacheTime = IdentityPools.ConfigCache<object>.Ttl;

    /// <summary>What Cognito answers developer (IAM key) credentials on RegisterDevice, SubscribeToDataset and
    /// UnsubscribeFromDataset (NotAuthorizedException, HTTP 403).</summary>
    static NotAuthorizedException DeveloperRefused() => new("These credentials are not valid for accessing this resource");

    /// <summary>The ARN IAM decides on: the dataset's (<c>…:identitypool/{pool}/identity/{id}/dataset/{name}</c>), or all
    /// the identity's datasets (<c>…/dataset/*</c>) for ListDatasets and DescribeIdentityUsage, so the documented
    /// per-identity policy (<c>…/identity/${cognito-identity.amazonaws.com:sub}/*</c>) reaches every operation of the identity.</summary>
    public static string Arn(string region, string account, string? poolId, string? identityId, string? datasetName) =>
        $"arn:aws:cognito-sync:{region}:{account}:identitypool/{poolId}/identity/{identityId}/dataset/{datasetName ?? "*"}";

    static string? Member(object request, string member) => request.GetType().GetProperty(member)?.GetValue(request) as string;

    /// <summary>The path as SDKs sign it for a REST service other than S3: the encoded path (as sent) encoded once more.
    /// SigV4Signature normalises each segment (unescape, escape), so the raw segments escaped once give that.</summary>
    static string SignedPath(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') raw = request.PathBase.Add(request.Path).ToUriComponent();
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0) raw = raw[..query];
        return string.Join('/', raw.Split('/').Select(Uri.EscapeDataString));
    }

    static readonly System.Reflection.MethodInfo SendMethod = typeof(SyncEndpoint)
        .GetMethod(nameof(SendTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    delegate Task<object> Sender(Dispatcher dispatcher, object request, Caller caller, CancellationToken ct);

    /// <summary>Each operation's typed send, made once per request type (not a generic method made and invoked by
    /// reflection at every call).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Sender> Senders = new();

    static Task<object> SendTo(Dispatcher dispatcher, object request, Type requestType, Caller caller, CancellationToken ct) =>
        Senders.GetOrAdd(requestType, t => SendMethod.MakeGenericMethod(Portal.Client.Contract.Operations.ResponseTypeOf(t)!).CreateDelegate<Sender>())
            (dispatcher, request, caller, ct);

    static async Task<object> SendTyped<TResponse>(Dispatcher dispatcher, object request, Caller caller, CancellationToken ct) where TResponse : new() =>
        (await dispatcher.Send((ICognitoRequest<TResponse>)request, caller, ct))!;

    /// <summary>A REST-JSON error: status from the model, <c>x-amzn-ErrorType</c>, and the body SDKs read.</summary>
    static async Task WriteError(HttpContext http, string type, string message, int status)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = Statuses.GetValueOrDefault(type, status);
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = type;
        await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, string> { ["__type"] = type, ["message"] = message }, CognitoJson.Options);
    }
}
