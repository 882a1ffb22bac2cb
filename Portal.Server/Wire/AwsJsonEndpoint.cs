using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Throttling;

namespace Portal.Server.Wire;

/// <summary>AWS JSON 1.1: <c>POST /</c> with <c>X-Amz-Target: Service.Operation</c>, mapped onto the dispatcher.</summary>
public static class AwsJsonEndpoint
{
    const string ContentType = "application/x-amz-json-1.1";

    public static IEndpointRouteBuilder MapAwsJson(this IEndpointRouteBuilder app)
    {
        // Ordered before the portal's pages, which also answer POST / for forms.
        app.MapPost("/", Handle).DisableAntiforgery().WithName("AwsJson").WithOrder(-1);
        return app;
    }

    /// <summary>The Query protocol also comes as <c>GET /?Action=…</c>; any other GET / is the portal's. Placed before
    /// authentication, as the portal's pages require a signed-in operator and the API does not.</summary>
    public static IApplicationBuilder UseAwsQueryGet(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsGet(http.Request.Method) || http.Request.Path != "/" || !http.Request.Query.ContainsKey("Action"))
            {
                await next(http);
                return;
            }
            var s = http.RequestServices;
            await QueryEndpoint.Handle(http, s.GetRequiredService<Dispatcher>(), s.GetRequiredService<SigV4>(), s.GetRequiredService<IOptions<ApiOptions>>().Value,
                s.GetRequiredService<RateLimits>(), s.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Wire"));
        });

    static async Task Handle(HttpContext http, Dispatcher dispatcher, SigV4 sigV4, IOptions<ApiOptions> api, RateLimits limits, ILoggerFactory logs)
    {
        var ct = http.RequestAborted;
        var log = logs.CreateLogger("Portal.Wire");
        if (QueryEndpoint.IsQuery(http.Request))
        {
            // IAM and STS speak the Query protocol at the same endpoint.
            await QueryEndpoint.Handle(http, dispatcher, sigV4, api.Value, limits, log);
            return;
        }
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        // The SDKs read it into $metadata.requestId, for logs and support.
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
            if (string.IsNullOrEmpty(target))
                throw new UnknownOperationException("Missing X-Amz-Target header: name the operation as 'AWSCognitoIdentityProviderService.<Operation>'.");
            // Cognito Sync is REST-JSON only (Sync/SyncEndpoint), as on AWS.
            var requestType = Operations.Find(target) is { } found && !QueryProtocol.IsQueryService(Operations.ServiceOf(found))
                              && Operations.ServiceOf(found) != Portal.Client.Contract.Sync.SyncService.Prefix ? found
                              : throw new UnknownOperationException($"Unknown operation '{target}'.");

            var body = await ReadBody(http.Request, ct);

            string? accessKeyId = null;
            if (!Operations.IsUnsigned(requestType) && (api.Value.RequireSignature || http.Request.Headers.Authorization.Count > 0))
            {
                var caller = await sigV4.Authenticate(http.Request, body, ct);
                // An assumed role's temporary credentials are not an admin key.
                if (caller.Session is { } session) throw SigV4.NotAdmin(session, ActionOf(target));
                WireCallers.Set(http, caller);
                accessKeyId = caller.AccessKeyId;
            }

            var request = Deserialize(requestType, body);
            await limits.CheckRequest(http, request, ct);
            // The signing key is the actor of the audit entry of a change (Engine/OperationAudit).
            var response = await Send(dispatcher, request, requestType, Caller.Wire(accessKeyId), ct);
            http.Response.StatusCode = 200;
            http.Response.ContentType = ContentType;
            await JsonSerializer.SerializeAsync(http.Response.Body, response, response.GetType(), CognitoJson.Options, ct);
        }
        catch (CognitoException e)
        {
            if (e.Status >= 500) log.LogError(e, "{Target} failed", target);
            await WriteError(http, e.Type, e.Message, e.Status, (e as InvalidParameterException)?.Member);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "{Target} failed with an unexpected error", target);
            await WriteError(http, "InternalErrorException", "An internal error occurred.", 500);
        }
    }

    /// <summary>The largest request body read; Cognito's own requests are a few kilobytes.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The IAM action name of a target: <c>cognito-idp:AdminCreateUser</c>, <c>cognito-identity:GetId</c>.</summary>
    static string ActionOf(string target)
    {
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        var service = target[..dot] switch
        {
            Services.UserPools => "cognito-idp",
            Services.IdentityPools => "cognito-identity",
            var other => other,
        };
        return $"{service}:{target[(dot + 1)..]}";
    }

    internal static async Task<byte[]> ReadBody(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static RequestEntityTooLargeException TooLarge() => new($"Request body must be no larger than {MaxBodyBytes} bytes.");

    /// <summary>The body as the operation's record; any body that does not fit the record's shape is the client's
    /// fault (SerializationException, or InvalidParameterException naming the member), never a 500, which SDKs would retry.</summary>
    static object Deserialize(Type requestType, byte[] body)
    {
        if (body.Length == 0) body = "{}"u8.ToArray();
        try
        {
            return JsonSerializer.Deserialize(body, requestType, CognitoJson.Options)
                   ?? throw new SerializationException("Start of structure or map expected, but the request body is null.");
        }
        catch (JsonException e)
        {
            var member = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : null;
            throw member is null
                ? new SerializationException("The request body is not a valid JSON object.")
                : new InvalidParameterException($"1 validation error detected: Value at '{member}' has the wrong type or format.", member);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new SerializationException("The request body does not match the operation's input shape.");
        }
    }

    static readonly System.Reflection.MethodInfo SendMethod = typeof(AwsJsonEndpoint)
        .GetMethod(nameof(SendTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    // One typed delegate per request type, made on first use: no reflection per request.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<Dispatcher, object, Caller, CancellationToken, Task<object>>> Senders = new();

    internal static Task<object> Send(Dispatcher dispatcher, object request, Type requestType, Caller caller, CancellationToken ct) =>
        Senders.GetOrAdd(requestType, t => SendMethod.MakeGenericMethod(Operations.ResponseTypeOf(t)!)
            .CreateDelegate<Func<Dispatcher, object, Caller, CancellationToken, Task<object>>>())(dispatcher, request, caller, ct);

    static async Task<object> SendTyped<TResponse>(Dispatcher dispatcher, object request, Caller caller, CancellationToken ct) where TResponse : new() =>
        (await dispatcher.Send((ICognitoRequest<TResponse>)request, caller, ct))!;

    /// <summary>The AWS error body; <paramref name="member"/>, the request member an InvalidParameterException names, goes
    /// beside __type and message (AWS SDKs ignore it, the portal's RemoteCognito reads it).</summary>
    public static async Task WriteError(HttpContext http, string type, string message, int status, string? member = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;
        http.Response.Headers["x-amzn-ErrorType"] = type;
        await JsonSerializer.SerializeAsync(http.Response.Body, new ErrorBody(type, message, member), CognitoJson.Options);
    }

    sealed record ErrorBody(string __type, string message, string? member);
}
