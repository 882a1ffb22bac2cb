namespace Portal.Server.HostedUi;

/// <summary>
/// The security headers of every hosted-UI answer, whatever produced it (a page, a redirect, a 404 of an unknown route,
/// a 400 of a broken form, a 500): a CSP without inline script, no framing, no sniffing, no referrer, no caching of pages
/// that carry codes. Set when the response starts, so no handler, filter or error page can leave them out.
/// <c>form-action</c> is <c>'self'</c> plus the targets a page's forms end up at (the app's checked redirect_uri, a
/// corporate identity provider), because browsers hold the redirect after a form post to it.
/// A live preview of draft branding with a valid signed token may be framed by the portal (same origin) only.
/// </summary>
public static class HostedUiHeaders
{
    /// <summary>Endpoint metadata of the hosted routes (pages, OAuth, federation, SAML).</summary>
    public sealed class Hosted
    {
        public static readonly Hosted Marker = new();
    }

    static readonly object HostedKey = new();
    static readonly object FormTargetsKey = new();
    static readonly object FramedByPortalKey = new();

    /// <summary>Registers the headers on every response; right after routing, so whatever answers later (the endpoint,
    /// an error page, a status page) is covered.</summary>
    public static IApplicationBuilder UseHostedUiHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Remembered now: an error page re-executed for this request still answers for the hosted route that failed.
        if (http.GetEndpoint()?.Metadata.GetMetadata<Hosted>() is not null) http.Items[HostedKey] = true;
        http.Response.OnStarting(() =>
        {
            Apply(http);
            return Task.CompletedTask;
        });
        return next(http);
    });

    /// <summary>Marks a group or endpoint as hosted UI: its answers also get no-store.</summary>
    public static TBuilder WithHostedUiHeaders<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Hosted.Marker);

    /// <summary>A form of this page may end at <paramref name="url"/> (checked by the caller: a registered redirect_uri, an
    /// identity provider's sign-in URL): its origin joins form-action.</summary>
    public static void AllowFormTarget(HttpContext http, string? url)
    {
        if (Source(url) is not { } source) return;
        if (http.Items[FormTargetsKey] is not HashSet<string> targets) http.Items[FormTargetsKey] = targets = new(StringComparer.Ordinal);
        targets.Add(source);
    }

    /// <summary>The page shows draft branding of a valid preview token for its own pool: the portal may frame it.</summary>
    public static void AllowFramingByPortal(HttpContext http) => http.Items[FramedByPortalKey] = true;

    static void Apply(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        var hosted = http.Items.ContainsKey(HostedKey) || endpoint?.Metadata.GetMetadata<Hosted>() is not null;
        // Other endpoints (the admin portal, the API) keep their own headers; unmatched routes are answered strictly.
        if (endpoint is not null && !hosted) return;
        var headers = http.Response.Headers;
        var framed = http.Items.ContainsKey(FramedByPortalKey);
        var formAction = http.Items[FormTargetsKey] is HashSet<string> targets ? "'self' " + string.Join(' ', targets.Order(StringComparer.Ordinal)) : "'self'";
        // An answer with its own stricter policy (a sandboxed asset) keeps it.
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            headers.ContentSecurityPolicy =
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
                $"base-uri 'none'; object-src 'none'; form-action {formAction}; frame-ancestors {(framed ? "'self'" : "'none'")}";
        if (framed) headers.Remove("X-Frame-Options");
        else headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Pages carry codes and antiforgery tokens: never stored, unless the handler published something cacheable (CSS, logos).
        if (hosted && !headers.CacheControl.ToString().StartsWith("public", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
        }
    }

    /// <summary>The CSP source of a URL: its origin for http(s), its scheme for an app's own (myapp://callback); null for
    /// anything that is not a clean absolute URL.</summary>
    static string? Source(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var source = uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
        return source.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"') ? null : source;
    }
}
