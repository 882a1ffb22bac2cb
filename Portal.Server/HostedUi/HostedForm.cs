using Microsoft.AspNetCore.Http.Features;

namespace Portal.Server.HostedUi;

/// <summary>Reads a hosted form once, within limits made for sign-in forms: a body that cannot be read (broken
/// multipart, too many or too long fields, NUL characters) is the sender's fault and answers 400, never a 500.</summary>
public static class HostedForm
{
    /// <summary>Sign-in and OAuth forms hold a few short fields (an OIDC form_post id_token is the longest).</summary>
    static readonly FormOptions PageLimits = Limits(64 * 1024);

    /// <summary>A SAML response is one large base64 field.</summary>
    static readonly FormOptions SamlLimits = Limits(2 * 1024 * 1024);

    static FormOptions Limits(int valueLength) => new()
    {
        ValueCountLimit = 1024, KeyLengthLimit = 1024, ValueLengthLimit = valueLength,
        BufferBodyLengthLimit = 4 * 1024 * 1024, MultipartBodyLengthLimit = 4 * 1024 * 1024, MultipartHeadersLengthLimit = 16 * 1024,
    };

    /// <summary>Reads the form of a POST into the request (later reads get it from there); false when it cannot be read.</summary>
    static async Task<bool> TryRead(HttpContext http, FormOptions limits)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.HasFormContentType) return true;
        var ct = http.RequestAborted;
        var feature = new FormFeature(http.Request, limits);
        http.Features.Set<IFormFeature>(feature);
        try
        {
            var form = await feature.ReadFormAsync(ct);
            // NUL has no place in a sign-in form and some stores refuse it.
            return !form.Any(f => f.Key.Contains('\0') || f.Value.Any(v => v?.Contains('\0') == true));
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Hosted pages and federation: an unreadable form gets the hosted error page.</summary>
    public static ValueTask<object?> Pages(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Page(context, next, PageLimits);

    /// <summary>SAML responses and logout messages posted by an IdP: an unreadable form gets the hosted error page.</summary>
    public static ValueTask<object?> Saml(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Page(context, next, SamlLimits);

    static async ValueTask<object?> Page(EndpointFilterInvocationContext context, EndpointFilterDelegate next, FormOptions limits)
    {
        var http = context.HttpContext;
        if (await TryRead(http, limits)) return await next(context);
        return HostedUi.Pages.HostedPages.UnreadableForm(http, http.Request.RouteValues["domain"]?.ToString() ?? "");
    }

    /// <summary>OAuth endpoints: an unreadable form is an OAuth <c>invalid_request</c>.</summary>
    public static async ValueTask<object?> OAuth(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (await TryRead(context.HttpContext, PageLimits)) return await next(context);
        return Results.Json(new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = "The form could not be read." },
            statusCode: 400);
    }
}
