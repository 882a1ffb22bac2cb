using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portal.Server.Gateway;

/// <summary>What a kind of route (S3, IamApi, JwtApi, Alb) adds to the proxy: the requests it matches, its per-request
/// authorization, and its changes to the forwarded request. One singleton per kind, registered as IGatewayRouteKind.</summary>
public interface IGatewayRouteKind
{
    GatewayRouteKind Kind { get; }

    /// <summary>Checks a route's kind-specific settings when it is stored or loaded; throws InvalidParameterException.</summary>
    void Validate(GatewayRoute route)
    {
    }

    /// <summary>The YARP routes for a gateway route; by default one, matching its PathPrefix and/or Host. Each match's
    /// RouteId must start with the gateway route's id (the proxy names it <c>{id}</c> or <c>{id}#{suffix}</c>).</summary>
    IEnumerable<RouteConfig> Matches(GatewayRoute route) => [GatewayProxyConfig.DefaultMatch(route)];

    /// <summary>Decides one request before it is forwarded. Returns true to forward it; false when it has answered the
    /// request itself (a denial, a challenge, a redirect). It records its decision with <see cref="GatewayRequest.Record"/>.</summary>
    Task<bool> Authorize(GatewayRequest request);

    /// <summary>Adds the kind's transforms (re-signing, identity headers) to the forwarded request of a route.</summary>
    void Transforms(TransformBuilderContext builder, GatewayRoute route)
    {
    }

    /// <summary>Forwarding failed before the backend's answer started (backend unreachable, the request body failed a
    /// check while streaming): the kind answers in its protocol's words. YARP has set a status (502, 504, 400…); by
    /// default that status stands with no body.</summary>
    Task ForwardFailed(GatewayRequest request, Yarp.ReverseProxy.Forwarder.ForwarderError error, Exception? exception) => Task.CompletedTask;

    /// <summary>The request's headers are over <see cref="GatewaySetup.MaxRequestHeadersBytes"/>: the kind answers as its
    /// service does. By default API Gateway's 431 <c>{"message":"Request Header Fields Too Large"}</c>.</summary>
    async Task HeadersTooLarge(GatewayRequest request)
    {
        request.Http.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
        request.Http.Response.ContentType = "application/json";
        await request.Http.Response.WriteAsync("""{"message":"Request Header Fields Too Large"}""", request.Aborted);
    }
}

/// <summary>One request on a gateway route, as the kinds' hooks see it.</summary>
public sealed class GatewayRequest(HttpContext http, GatewayRoute route, GatewayDecisionLog log)
{
    public HttpContext Http { get; } = http;
    public GatewayRoute Route { get; } = route;
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The caller's address as the connection gives it (never X-Forwarded-For unless a known proxy set it).</summary>
    public string? SourceIp => Http.Connection.RemoteIpAddress?.ToString();

    /// <summary>Logs the decision (off the request path) and counts it on /metrics.</summary>
    public void Record(GatewayDecision decision) => log.Record(Route, decision with { SourceIp = decision.SourceIp ?? SourceIp });
}

/// <summary>A decision to log: <see cref="Decision"/> is Allow, ImplicitDeny, ExplicitDeny or Error (then ErrorCode says
/// what the caller heard).</summary>
public sealed record GatewayDecision(string Decision)
{
    public const string Allow = "Allow", ImplicitDeny = "ImplicitDeny", ExplicitDeny = "ExplicitDeny", Error = "Error";

    public string? Caller { get; init; }
    public string? AccessKeyId { get; init; }
    public string? Action { get; init; }
    public string? Resource { get; init; }
    public string? ErrorCode { get; init; }
    public string? Policy { get; init; }
    public string? Statement { get; init; }
    public string? SourceIp { get; init; }

    public static GatewayDecision Of(Iam.Policies.Decision decision) => new(decision switch
    {
        Iam.Policies.Decision.Allow => Allow,
        Iam.Policies.Decision.ExplicitDeny => ExplicitDeny,
        _ => ImplicitDeny,
    });
}
