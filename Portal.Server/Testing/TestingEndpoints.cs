using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

/// <summary>
/// Testing mode's HTTP API for apps' end-to-end suites; mapped only while <c>Portal:Testing:Enabled</c> (otherwise every
/// route is a 404). Loopback clients need no credentials; others an administrator's SigV4 key or the bearer token
/// (<see cref="TestingAccess"/>).
/// <code>
/// GET    /_portal/testing                              what is on, and the routes
/// GET    /_portal/testing/mailbox?pool=&amp;recipient=&amp;kind=&amp;channel=&amp;since=&amp;limit=&amp;wait=
/// DELETE /_portal/testing/mailbox?pool=
/// POST   /_portal/testing/pools/{poolId}/reset
/// POST   /_portal/testing/pools/{poolId}/clone         {PoolName, TtlSeconds, DomainSuffix}
/// POST   /_portal/testing/pools/{poolId}/users         {Users: [{Username, Password, Attributes: {}, Groups: []}]}
/// POST   /_portal/testing/pools/{poolId}/sessions      {Username, ClientId}
/// GET    /_portal/testing/pools/{poolId}/clock         the pool's clock offset and time
/// PUT    /_portal/testing/pools/{poolId}/clock         {OffsetSeconds}      (0 clears)
/// POST   /_portal/testing/pools/{poolId}/clock/advance {Seconds}
/// DELETE /_portal/testing/pools/{poolId}/clock
/// POST   /_portal/testing/pools/{poolId}/test-idp      {ClientId, ProviderName}  the built-in test IdP as the pool's OIDC provider
/// GET    /_portal/testing/idp/...                      the test IdP itself (discovery, jwks, authorize, token, userinfo)
/// GET    /_aws/ses?email=            DELETE /_aws/ses                        (LocalStack's shape)
/// GET    /_aws/sns/sms-messages?phoneNumber=   DELETE /_aws/sns/sms-messages (LocalStack's shape)
/// </code>
/// </summary>
public static class TestingEndpoints
{
    public const string Prefix = "/_portal/testing";

    /// <summary>Every route, as the status route and the portal's Testing page list them.</summary>
    public static readonly IReadOnlyList<string> Routes =
    [
        "GET /_portal/testing/mailbox?pool=&recipient=&kind=&channel=&since=&limit=&wait=", "DELETE /_portal/testing/mailbox?pool=",
        "POST /_portal/testing/pools/{poolId}/reset", "POST /_portal/testing/pools/{poolId}/clone",
        "POST /_portal/testing/pools/{poolId}/users", "POST /_portal/testing/pools/{poolId}/sessions",
        "GET|PUT|DELETE /_portal/testing/pools/{poolId}/clock", "POST /_portal/testing/pools/{poolId}/clock/advance",
        "POST /_portal/testing/pools/{poolId}/test-idp", "GET /_portal/testing/idp/.well-known/openid-configuration",
        "GET|DELETE /_aws/ses", "GET|DELETE /_aws/sns/sms-messages",
    ];

    static readonly JsonSerializerOptions Read = new(JsonSerializerDefaults.Web);
    static readonly JsonSerializerOptions Write = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static IEndpointRouteBuilder MapTestingMode(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        TestingSetup.CheckEnvironment(app.ServiceProvider);
        if (!TestingSetup.Enabled(app.ServiceProvider))
        {
            // Off, nothing of it exists: every method of every route is a 404 (not the portal's pages, not a 405).
            app.Map(Prefix + "/{**rest}", () => Results.NotFound());
            app.Map(Prefix, () => Results.NotFound());
            app.Map("/_aws/{**rest}", () => Results.NotFound());
            return app;
        }

        // The test IdP is called by Portal itself (token, jwks, userInfo) and by the browser (authorize, guarded as the API is).
        TestIdp.Map(app);
        var testing = app.MapGroup(Prefix).AddEndpointFilter(Guard);
        testing.MapGet("", () => Results.Json(new
        {
            Enabled = true,
            Routes,
            Kinds = Storage.MessageKinds.All,
        }, Write));
        testing.MapGet("/mailbox", ListMailbox);
        testing.MapDelete("/mailbox", ClearMailbox);
        testing.MapPost("/pools/{poolId}/reset", (string poolId, HttpContext http) =>
            Send(http, new ResetTestPoolRequest { UserPoolId = poolId }));
        testing.MapPost("/pools/{poolId}/clone", async (string poolId, HttpContext http) =>
            await Body<CloneTestPoolRequest>(http) is { } r ? await Send(http, r with { UserPoolId = poolId }) : BadBody());
        testing.MapPost("/pools/{poolId}/users", async (string poolId, HttpContext http) =>
            await Body<SeedTestUsersRequest>(http) is { } r ? await Send(http, r with { UserPoolId = poolId }) : BadBody());
        testing.MapPost("/pools/{poolId}/sessions", async (string poolId, HttpContext http) =>
            await Body<MintTestSessionRequest>(http) is { } r ? await Send(http, r with { UserPoolId = poolId }) : BadBody());
        testing.MapGet("/pools/{poolId}/clock", (string poolId, HttpContext http) =>
            Send(http, new GetTestPoolClockRequest { UserPoolId = poolId }));
        testing.MapPut("/pools/{poolId}/clock", async (string poolId, HttpContext http) =>
            await Body<ClockBody>(http) is { OffsetSeconds: { } offset }
                ? await Send(http, new SetTestPoolClockRequest { UserPoolId = poolId, OffsetSeconds = offset })
                : Error(new InvalidParameterException("The body is {\"offsetSeconds\": seconds ahead of real time}.")));
        testing.MapPost("/pools/{poolId}/clock/advance", async (string poolId, HttpContext http) =>
            await Body<ClockBody>(http) is { Seconds: { } seconds }
                ? await Send(http, new SetTestPoolClockRequest { UserPoolId = poolId, AdvanceSeconds = seconds })
                : Error(new InvalidParameterException("The body is {\"seconds\": how far to move the pool's clock on}.")));
        testing.MapPost("/pools/{poolId}/test-idp", async (string poolId, HttpContext http) =>
            await Body<AddTestIdpRequest>(http) is { } r ? await Send(http, r with { UserPoolId = poolId }) : BadBody());
        testing.MapDelete("/pools/{poolId}/clock", (string poolId, HttpContext http) =>
            Send(http, new SetTestPoolClockRequest { UserPoolId = poolId, OffsetSeconds = 0 }));

        var aws = app.MapGroup("/_aws").AddEndpointFilter(Guard);
        aws.MapGet("/ses", LocalStackMailbox.Ses);
        aws.MapDelete("/ses", LocalStackMailbox.ClearSes);
        aws.MapGet("/sns/sms-messages", LocalStackMailbox.Sms);
        aws.MapDelete("/sns/sms-messages", LocalStackMailbox.ClearSms);
        return app;
    }

    static async ValueTask<object?> Guard(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var access = context.HttpContext.RequestServices.GetRequiredService<TestingAccess>();
        return await access.Refusal(context.HttpContext) ?? await next(context);
    }

    static async Task<IResult> ListMailbox(HttpContext http, Mailbox mailbox, UserPoolStore pools)
    {
        var q = http.Request.Query;
        var pool = Text(q["pool"]);
        if (pool is not null && await pools.Find(pool, http.RequestAborted) is null)
            return Error(ResourceNotFoundException.UserPool(pool), StatusCodes.Status404NotFound);
        var kind = Text(q["kind"]);
        if (kind is not null && !Storage.MessageKinds.All.Contains(kind))
            return Error(new InvalidParameterException($"kind must be one of {string.Join(", ", Storage.MessageKinds.All)}, not '{kind}'."));
        var channel = Text(q["channel"])?.ToUpperInvariant();
        if (channel is not null and not ("EMAIL" or "SMS"))
            return Error(new InvalidParameterException($"channel must be email or sms, not '{q["channel"]}'."));
        DateTimeOffset? since = null;
        if (Text(q["since"]) is { } s)
        {
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) since = at;
            else if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var epoch))
                since = DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
            else return Error(new InvalidParameterException($"since must be an ISO 8601 time or Unix seconds, not '{s}'."));
        }
        var limit = 50;
        if (Text(q["limit"]) is { } l && (!int.TryParse(l, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
            return Error(new InvalidParameterException("limit must be between 1 and 1000."));
        var query = new MailboxQuery(pool, Text(q["recipient"]), kind, channel, since, limit);
        IReadOnlyList<MailboxMessage> messages;
        if (Text(q["wait"]) is { } w)
        {
            if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 30)
                return Error(new InvalidParameterException("wait must be between 0 and 30 seconds."));
            messages = await mailbox.Wait(query, TimeSpan.FromSeconds(seconds), http.RequestAborted);
        }
        else messages = await mailbox.List(query, http.RequestAborted);
        return Results.Json(new { Messages = messages }, Write);
    }

    static async Task<IResult> ClearMailbox(HttpContext http, Mailbox mailbox, UserPoolStore pools)
    {
        var pool = Text(http.Request.Query["pool"]);
        if (pool is not null && await pools.Find(pool, http.RequestAborted) is null)
            return Error(ResourceNotFoundException.UserPool(pool), StatusCodes.Status404NotFound);
        var deleted = await mailbox.Clear(pool, http.RequestAborted);
        return Results.Json(new { Deleted = deleted }, Write);
    }

    static async Task<IResult> Send<TResponse>(HttpContext http, ICognitoRequest<TResponse> request) where TResponse : new()
    {
        var dispatcher = http.RequestServices.GetRequiredService<Dispatcher>();
        try
        {
            var response = await dispatcher.Send(request, new Caller("testing-mode"), http.RequestAborted);
            return Results.Json(response, CognitoJson.Options);
        }
        catch (CognitoException e)
        {
            return Error(e, e is ResourceNotFoundException or UserNotFoundException ? StatusCodes.Status404NotFound : e.Status);
        }
    }

    static async Task<T?> Body<T>(HttpContext http) where T : class
    {
        if (http.Request.ContentLength is 0 or null && http.Request.Headers.TransferEncoding.Count == 0) return JsonSerializer.Deserialize<T>("{}", Read);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Read, http.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    sealed record ClockBody(long? OffsetSeconds, long? Seconds);

    static IResult BadBody() => Error(new SerializationException("The request body is not the JSON this route takes."));

    static string? Text(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString().Trim();

    public static IResult Error(CognitoException e, int? status = null) =>
        Results.Json(new Dictionary<string, string> { ["__type"] = e.Type, ["message"] = e.Message }, statusCode: status ?? e.Status);
}
