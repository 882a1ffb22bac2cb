using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Portal.Server.Gateway.S3;

/// <summary>One CORS rule of an S3 route, in S3's own shape (<c>aws s3api put-bucket-cors --cors-configuration</c>).</summary>
public sealed record S3CorsRule
{
    public string? ID { get; init; }
    public List<string> AllowedOrigins { get; init; } = [];
    public List<string> AllowedMethods { get; init; } = [];
    public List<string> AllowedHeaders { get; init; } = [];
    public List<string> ExposeHeaders { get; init; } = [];
    public int? MaxAgeSeconds { get; init; }

    /// <summary>Does the rule allow this origin and method (and, for a preflight, every requested header)?</summary>
    public bool Allows(string origin, string method, IReadOnlyList<string> requestedHeaders) =>
        AllowedOrigins.Any(o => S3Cors.WildcardMatch(o, origin, ignoreCase: false))
        && AllowedMethods.Contains(method, StringComparer.Ordinal)
        && requestedHeaders.All(h => AllowedHeaders.Any(a => S3Cors.WildcardMatch(a, h, ignoreCase: true)));
}

/// <summary>An S3 route's CORSConfiguration: <c>{"CORSRules":[…]}</c>, the route's <c>Cors</c> setting.</summary>
public sealed record S3CorsConfiguration
{
    public List<S3CorsRule> CORSRules { get; init; } = [];

    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = false, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
    static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "HEAD"];

    /// <summary>The route's rules, or null when it has none. Throws InvalidParameterException, with S3's words, when the
    /// document is not a valid CORSConfiguration.</summary>
    public static S3CorsConfiguration? Of(GatewayRoute route)
    {
        if (route.Setting(S3Cors.SettingKey) is not { } text) return null;
        S3CorsConfiguration? config;
        try
        {
            config = JsonSerializer.Deserialize<S3CorsConfiguration>(text, Json);
        }
        catch (JsonException e)
        {
            throw Invalid("The Cors setting is not a CORSConfiguration document ({\"CORSRules\":[…]}): " + e.Message);
        }
        if (config is null || config.CORSRules.Count is 0 or > 100) throw Invalid("A CORSConfiguration holds 1 to 100 CORSRules.");
        foreach (var rule in config.CORSRules)
        {
            if (rule.AllowedOrigins.Count == 0 || rule.AllowedMethods.Count == 0) throw Invalid("Each CORSRule needs AllowedOrigins and AllowedMethods.");
            if (rule.AllowedMethods.FirstOrDefault(m => !Methods.Contains(m, StringComparer.Ordinal)) is { } bad)
                throw Invalid($"Found unsupported HTTP method in CORS config. Unsupported method is {bad}");
            if (rule.AllowedOrigins.Concat(rule.AllowedHeaders).FirstOrDefault(o => o.Count(c => c == '*') > 1) is { } stars)
                throw Invalid($"AllowedOrigin and AllowedHeader can have at most one * wildcard character: {stars}");
            if (rule.MaxAgeSeconds is < 0) throw Invalid("MaxAgeSeconds must not be negative.");
        }
        return config;
    }

    static Portal.Client.Contract.InvalidParameterException Invalid(string message) => new(message, "Route.Settings");

    /// <summary>The first rule allowing the request (as S3 picks it), or null.</summary>
    public S3CorsRule? Match(string origin, string method, IReadOnlyList<string> requestedHeaders) =>
        CORSRules.FirstOrDefault(r => r.Allows(origin, method, requestedHeaders));
}

/// <summary>
/// CORS as S3 answers it, for the S3 route: a preflight (<c>OPTIONS</c> with <c>Origin</c> and
/// <c>Access-Control-Request-Method</c>) is answered by the gateway itself from the route's rules, without credentials (a
/// preflight never carries any): 200 with the allowed origin, methods, headers and max age, or 403 with S3's
/// <c>CORSResponse</c> error when no rule matches. Real responses (the backend's answer and S3 XML errors alike) carry
/// <c>Access-Control-Allow-Origin</c> and <c>Access-Control-Expose-Headers</c> of the rule matching their origin and method.
/// The route's rules are the only ones: the backend never sees the caller's Origin and its own CORS headers are dropped,
/// because preflights are never forwarded (they are unsigned), so only the gateway can answer preflight and request
/// alike. <c>Access-Control-Allow-Credentials</c> is never sent (S3 sends it for a named origin): the S3 route
/// authenticates by signature, never by cookie, and shares its origin with the admin portal's cookies.
/// </summary>
public static class S3Cors
{
    public const string SettingKey = "Cors";

    /// <summary>S3's wildcard: at most one '*', matching any run of characters.</summary>
    public static bool WildcardMatch(string pattern, string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0) return string.Equals(pattern, value, comparison);
        var head = pattern[..star];
        var tail = pattern[(star + 1)..];
        return value.Length >= head.Length + tail.Length && value.StartsWith(head, comparison) && value.EndsWith(tail, comparison);
    }

    static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");

    /// <summary>Adds the CORS headers of the route's matching rule to the answer of a real (non-preflight) S3 request with
    /// an Origin, whatever that answer is (the backend's, or an S3 error), replacing any the backend sent.</summary>
    public static void OnActual(HttpContext http, GatewayRoute route)
    {
        if (http.Request.Headers.Origin.FirstOrDefault() is not { Length: > 0 } origin) return;
        S3CorsConfiguration? config;
        try
        {
            config = S3CorsConfiguration.Of(route);
        }
        catch (Portal.Client.Contract.InvalidParameterException)
        {
            config = null;
        }
        var rule = config?.Match(origin, http.Request.Method.ToUpperInvariant(), []);
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            foreach (var name in headers.Keys.Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList()) headers.Remove(name);
            headers.Append("Vary", "Origin");
            if (rule is not null)
            {
                headers.AccessControlAllowOrigin = rule.AllowedOrigins.Contains("*") ? "*" : origin;
                headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
                if (rule.ExposeHeaders.Count > 0) headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
                if (rule.MaxAgeSeconds is { } age) headers.AccessControlMaxAge = age.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>Answers a preflight for the route (path-style or virtual-hosted), as S3 does.</summary>
    public static async Task Preflight(HttpContext http, GatewayRoute route, string? resource)
    {
        var request = http.Request;
        var origin = request.Headers.Origin.FirstOrDefault();
        var method = request.Headers.AccessControlRequestMethod.FirstOrDefault() ?? "";
        var requested = request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        http.Response.Headers.Append("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        if (string.IsNullOrEmpty(origin))
        {
            await S3Errors.Write(http, new S3Exception("BadRequest", "Insufficient information. Origin request header needed.", 400), resource);
            return;
        }
        S3CorsConfiguration? config;
        try
        {
            config = S3CorsConfiguration.Of(route);
        }
        catch (Portal.Client.Contract.InvalidParameterException)
        {
            config = null;
        }
        if (config is null)
        {
            await S3Errors.Write(http, new S3Exception("CORSResponse", "CORS is not enabled for this bucket.", 403), resource);
            return;
        }
        if (config.Match(origin, method, requested) is not { } rule)
        {
            await S3Errors.Write(http, new S3Exception("CORSResponse",
                "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or "
                + "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.", 403), resource);
            return;
        }
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = rule.AllowedOrigins.Contains("*") ? "*" : origin;
        headers.AccessControlAllowMethods = string.Join(", ", rule.AllowedMethods);
        if (requested.Count > 0) headers.AccessControlAllowHeaders = string.Join(", ", requested);
        if (rule.ExposeHeaders.Count > 0) headers.AccessControlExposeHeaders = string.Join(", ", rule.ExposeHeaders);
        if (rule.MaxAgeSeconds is { } age) headers.AccessControlMaxAge = age.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    /// <summary>Is this request signed for S3 (header or presigned)? Those are the S3 route's, on any host or port.</summary>
    public static bool SignedForS3(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/s3/aws4_request", StringComparison.Ordinal)
        || (request.Query["X-Amz-Credential"].FirstOrDefault()?.Contains("/s3/aws4_request", StringComparison.Ordinal) ?? false);

    /// <summary>
    /// Ahead of everything else: (1) on the S3 listener port (<see cref="GatewayOptions.S3ListenerPort"/>) only S3 requests
    /// are served, everything else (portal, APIs, hosted UI, metrics) answers S3's AccessDenied; (2) S3 preflights are
    /// answered from the addressed route's CORS rules. A preflight is the S3 route's when it comes on the S3 listener,
    /// on a route's Host or virtual-hosted name (<c>{bucket}.{Host or VirtualHosts}</c>), or, on Portal's own endpoint,
    /// path-style for a bucket named in the route's <c>Buckets</c> setting (other preflights are left to the portal's
    /// own CORS and the other routes).
    /// </summary>
    public static IApplicationBuilder UseS3Gateway(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var listener = http.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.S3ListenerPort;
        var onListener = listener > 0 && http.Connection.LocalPort == listener;
        if (IsPreflight(http.Request) && Addressed(http, onListener) is { } addressed)
        {
            await Preflight(http, addressed.Route, addressed.Resource);
            return;
        }
        if (onListener && !SignedForS3(http.Request))
        {
            await S3Errors.Write(http, S3Exception.AccessDenied(), null);
            return;
        }
        await next(http);
    });

    /// <summary>The S3 route a preflight addresses, and the resource (/bucket/key) it names; null when it is not an S3 preflight.</summary>
    static (GatewayRoute Route, string? Resource)? Addressed(HttpContext http, bool onListener)
    {
        var routes = http.RequestServices.GetRequiredService<GatewayRoutes>().Current.Values
            .Where(r => r.Enabled && r.Kind == GatewayRouteKind.S3).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        if (routes.Count == 0) return null;
        var host = http.Request.Host.Host.ToLowerInvariant();
        var path = (http.Request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];
        foreach (var route in routes)
        {
            foreach (var name in Names(route))
            {
                if (host.Length > name.Length + 1 && host.EndsWith("." + name, StringComparison.Ordinal))
                    return (route, "/" + host[..^(name.Length + 1)] + (path.Length > 0 ? "/" + path : ""));
                if (host == name) return (route, first.Length > 0 ? "/" + path : null);
            }
        }
        var shared = routes.FirstOrDefault(r => r.Host is null);
        if (shared is null) return null;
        if (onListener) return (shared, path.Length > 0 ? "/" + path : null);
        if (first.Length > 0 && shared.Setting("Buckets") is { } buckets
            && buckets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(first, StringComparer.Ordinal))
            return (shared, "/" + path);
        return null;
    }

    static IEnumerable<string> Names(GatewayRoute route)
    {
        if (route.Host is { } host) yield return host.Split(':')[0];
        if (route.Setting("VirtualHosts") is { } more)
            foreach (var name in more.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) yield return name.ToLowerInvariant();
    }
}
