using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portal.Server.Gateway.JwtApi;

/// <summary>
/// <c>JwtApi</c> routes: an HTTP API behind API Gateway's JWT authorizer. Settings: <c>UserPoolId</c> (required),
/// <c>Audience</c> (app client ids, comma-separated, required), <c>Scopes</c> (the route's authorization scopes, any one
/// suffices), <c>TokenUse</c> (<c>id</c>, <c>access</c> or both, the default), <c>CheckRevocation</c> (false by default,
/// as API Gateway), <c>Issuer</c> (default <c>{PublicBaseUrl}/{UserPoolId}</c>), <c>MaxBodyBytes</c> (default 10 MB, HTTP
/// APIs' payload limit). Refusals are 401 <c>{"message":"Unauthorized"}</c> or 403 <c>{"message":"Forbidden"}</c>, a body
/// over the limit 413 <c>{"message":"Request Entity Too Large"}</c>; the backend receives the claims as
/// <see cref="JwtClaimHeaders"/> documents.
/// </summary>
public sealed class JwtApiRouteKind : IGatewayRouteKind
{
    const string ClaimsItem = "Portal.Gateway.JwtClaims";
    const long DefaultMaxBody = 10 * 1024 * 1024;
    const string TooLarge = """{"message":"Request Entity Too Large"}""";

    public GatewayRouteKind Kind => GatewayRouteKind.JwtApi;

    public void Validate(GatewayRoute route)
    {
        if (route.Setting("UserPoolId") is null) throw new InvalidParameterException("A JwtApi route needs Settings.UserPoolId.", "Route.Settings");
        if (List(route.Setting("Audience")).Count == 0) throw new InvalidParameterException("A JwtApi route needs Settings.Audience (app client ids).", "Route.Settings");
        if (List(route.Setting("TokenUse")).FirstOrDefault(u => u is not ("id" or "access")) is { } bad)
            throw new InvalidParameterException($"Settings.TokenUse takes id and access, not {bad}.", "Route.Settings");
    }

    public static JwtAuthorizerSettings SettingsOf(GatewayRoute route) => new()
    {
        UserPoolId = route.Setting("UserPoolId") ?? "",
        Issuer = route.Setting("Issuer"),
        Audience = List(route.Setting("Audience")),
        Scopes = List(route.Setting("Scopes")),
        TokenUse = List(route.Setting("TokenUse")) is { Count: > 0 } uses ? uses : ["id", "access"],
        CheckRevocation = route.Flag("CheckRevocation"),
    };

    /// <summary>The default match, with the route's body limit (a chunked body over it fails while it is forwarded).</summary>
    public IEnumerable<Yarp.ReverseProxy.Configuration.RouteConfig> Matches(GatewayRoute route) =>
        [GatewayProxyConfig.DefaultMatch(route) with { MaxRequestBodySize = route.Number("MaxBodyBytes", DefaultMaxBody) }];

    public async Task<bool> Authorize(GatewayRequest request)
    {
        var http = request.Http;
        if (http.Request.ContentLength > request.Route.Number("MaxBodyBytes", DefaultMaxBody))
        {
            request.Record(new GatewayDecision(GatewayDecision.Error)
            {
                Action = $"{http.Request.Method} {http.Request.Path}", Resource = request.Route.Id, ErrorCode = "RequestEntityTooLarge", Policy = "JWT authorizer",
            });
            await Answer(http, 413, TooLarge, request.Aborted);
            return false;
        }
        var authorizer = http.RequestServices.GetRequiredService<JwtAuthorizer>();
        var result = await authorizer.Authorize(http.Request.Headers.Authorization.ToString(), SettingsOf(request.Route), request.Aborted);
        request.Record(new GatewayDecision(result.Allowed ? GatewayDecision.Allow : GatewayDecision.ImplicitDeny)
        {
            Caller = result.Caller, Action = $"{http.Request.Method} {http.Request.Path}", Resource = request.Route.Id,
            ErrorCode = result.Allowed ? null : result.Status == 401 ? "Unauthorized" : "Forbidden", Policy = "JWT authorizer", Statement = result.Reason,
        });
        if (result.Allowed)
        {
            http.Items[ClaimsItem] = result.ClaimHeaders;
            return true;
        }
        http.Response.StatusCode = result.Status;
        if (result.WwwAuthenticate is { } challenge) http.Response.Headers.WWWAuthenticate = challenge;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(result.Body, request.Aborted);
        return false;
    }

    /// <summary>A body that grew past the limit while it was forwarded is API Gateway's 413, not a 5xx.</summary>
    public async Task ForwardFailed(GatewayRequest request, Yarp.ReverseProxy.Forwarder.ForwarderError error, Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is BadHttpRequestException { StatusCode: 413 } && !request.Http.Response.HasStarted)
            {
                await Answer(request.Http, 413, TooLarge, request.Aborted);
                return;
            }
    }

    static async Task Answer(HttpContext http, int status, string body, CancellationToken ct)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body, ct);
    }

    public void Transforms(TransformBuilderContext builder, GatewayRoute route) => builder.AddRequestTransform(t =>
    {
        // The caller's own claim headers never reach the backend; the authorizer's replace them.
        foreach (var name in t.ProxyRequest.Headers.Select(h => h.Key).Where(k => k.StartsWith(JwtClaimHeaders.Prefix, StringComparison.OrdinalIgnoreCase)).ToList())
            t.ProxyRequest.Headers.Remove(name);
        if (t.HttpContext.Items[ClaimsItem] is IReadOnlyList<KeyValuePair<string, string>> claims)
            foreach (var (name, value) in claims)
                t.ProxyRequest.Headers.TryAddWithoutValidation(name, value);
        return ValueTask.CompletedTask;
    });

    static List<string> List(string? value) =>
        (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
