using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Client.Contract;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portal.Server.Gateway.Alb;

/// <summary>
/// <c>Alb</c> routes: a web app behind ALB's <c>authenticate-cognito</c> action. Settings: <c>UserPoolId</c> and
/// <c>ClientId</c> (required; the client allows the code flow and lists <c>{route URL}/oauth2/idpresponse</c> as a callback
/// URL), <c>Scope</c> (default <c>openid</c>), <c>OnUnauthenticatedRequest</c> (<c>authenticate</c>, <c>deny</c>,
/// <c>allow</c>), <c>SessionCookieName</c>, <c>SessionTimeout</c> (seconds), <c>LoadBalancerArn</c> (the signer).
/// The route URL is <c>{PublicBaseUrl}{PathPrefix}</c>, or <c>{scheme}://{Host}{PathPrefix}</c> for a host route.
/// </summary>
public sealed class AlbRouteKind(IOptions<PortalOptions> options) : IGatewayRouteKind
{
    const string HeadersItem = "Portal.Gateway.AlbHeaders";
    const string SetCookiesItem = "Portal.Gateway.AlbSetCookies";
    static readonly string[] Modes = ["authenticate", "deny", "allow"];

    public GatewayRouteKind Kind => GatewayRouteKind.Alb;

    public void Validate(GatewayRoute route)
    {
        if (route.Setting("UserPoolId") is null || route.Setting("ClientId") is null)
            throw new InvalidParameterException("An Alb route needs Settings.UserPoolId and Settings.ClientId.", "Route.Settings");
        if (route.Setting("OnUnauthenticatedRequest") is { } mode && !Modes.Contains(mode.ToLowerInvariant()))
            throw new InvalidParameterException("Settings.OnUnauthenticatedRequest is authenticate, deny or allow.", "Route.Settings");
    }

    public static AlbRouteSettings SettingsOf(GatewayRoute route) => new()
    {
        UserPoolId = route.Setting("UserPoolId") ?? "",
        ClientId = route.Setting("ClientId") ?? "",
        Scope = route.Setting("Scope") ?? "openid",
        OnUnauthenticatedRequest = route.Setting("OnUnauthenticatedRequest") ?? "authenticate",
        SessionCookieName = route.Setting("SessionCookieName") ?? AlbSessionCookies.DefaultName,
        SessionTimeout = (int)Math.Clamp(route.Number("SessionTimeout", 604800), 1, 604800),
        LoadBalancerArn = route.Setting("LoadBalancerArn"),
    };

    /// <summary>Where the route is reached: configured, never taken from the request's Host.</summary>
    public string BaseUrl(GatewayRoute route)
    {
        var publicUrl = options.Value.PublicBaseUrl!.TrimEnd('/');
        return route.Host is { } host ? $"{new Uri(publicUrl).Scheme}://{host}" : publicUrl;
    }

    public async Task<bool> Authorize(GatewayRequest request)
    {
        var http = request.Http;
        var outcome = await http.RequestServices.GetRequiredService<AlbAuthenticator>()
            .Handle(http, request.Route.Id, request.Route.PathPrefix ?? "", SettingsOf(request.Route), BaseUrl(request.Route), request.Aborted);
        request.Record(new GatewayDecision(outcome.Allowed ? GatewayDecision.Allow : GatewayDecision.ImplicitDeny)
        {
            Caller = outcome.Caller, Action = $"{http.Request.Method} {http.Request.Path}", Resource = request.Route.Id,
            ErrorCode = outcome.Allowed ? null : outcome.Reason.Contains("redirected", StringComparison.Ordinal) ? "AuthenticationRequired" : "Unauthorized",
            Policy = "authenticate-cognito", Statement = outcome.Reason,
        });
        if (outcome.Respond is { } respond)
        {
            foreach (var setCookie in outcome.SetCookies) http.Response.Headers.Append(HeaderNames.SetCookie, setCookie);
            await respond.ExecuteAsync(http);
            return false;
        }
        http.Items[HeadersItem] = outcome.Headers;
        http.Items[SetCookiesItem] = outcome.SetCookies;
        return true;
    }

    public void Transforms(TransformBuilderContext builder, GatewayRoute route)
    {
        var sessionCookie = SettingsOf(route).SessionCookieName;
        builder.AddRequestTransform(t =>
        {
            var headers = t.ProxyRequest.Headers;
            // Only the load balancer speaks x-amzn-oidc-*: whatever the browser sent under those names is dropped.
            foreach (var name in headers.Select(h => h.Key).Where(k => k.StartsWith(AlbAuthenticator.HeaderPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
                headers.Remove(name);
            if (t.HttpContext.Items[HeadersItem] is IReadOnlyList<KeyValuePair<string, string>> oidc)
                foreach (var (name, value) in oidc) headers.TryAddWithoutValidation(name, value);
            // As ALB: the route's own cookies (the session's shards, the sign-in nonce) stay between the browser and the
            // load balancer; the application's other cookies go on to the backend.
            if (headers.Contains(HeaderNames.Cookie))
            {
                // The pairs as the browser wrote them (never re-encoded).
                var kept = t.HttpContext.Request.Headers.Cookie.SelectMany(v => (v ?? "").Split(';'))
                    .Select(p => p.Trim()).Where(p => p.Length > 0 && !IsRouteCookie(p.Split('=', 2)[0].Trim(), sessionCookie)).ToList();
                headers.Remove(HeaderNames.Cookie);
                if (kept.Count > 0) headers.TryAddWithoutValidation(HeaderNames.Cookie, string.Join("; ", kept));
            }
            return ValueTask.CompletedTask;
        });
        // A session renewed with the refresh token (or ended) reaches the browser with the backend's answer.
        builder.AddResponseTransform(t =>
        {
            if (t.HttpContext.Items[SetCookiesItem] is IReadOnlyList<string> { Count: > 0 } cookies)
                foreach (var setCookie in cookies) t.HttpContext.Response.Headers.Append(HeaderNames.SetCookie, setCookie);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Headers over the gateway's limit: ALB's 400 page (ALB answers 400 to a request whose headers pass its limits).</summary>
    public async Task HeadersTooLarge(GatewayRequest request)
    {
        request.Http.Response.StatusCode = StatusCodes.Status400BadRequest;
        request.Http.Response.ContentType = "text/html";
        await request.Http.Response.WriteAsync(
            "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center></body></html>", request.Aborted);
    }

    /// <summary><c>{name}-0</c> … <c>{name}-3</c> and the sign-in nonce.</summary>
    public static bool IsRouteCookie(string cookie, string sessionCookieName) =>
        string.Equals(cookie, AlbAuthenticator.NonceCookie, StringComparison.Ordinal)
        || (cookie.Length == sessionCookieName.Length + 2 && cookie.StartsWith(sessionCookieName + "-", StringComparison.Ordinal)
            && cookie[^1] is >= '0' and < (char)('0' + AlbSessionCookies.MaxShards));
}
