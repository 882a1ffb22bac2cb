using Portal.Client.Contract;
using Portal.Server.HostedUi;

namespace Portal.Server.Throttling;

/// <summary>Rate limits on the hosted UI's forms: the category of each form post, and a branded page with HTTP 429 when
/// the address or the pool is over its limit (the pages are for people, so not the API's 400).</summary>
public static class HostedUiThrottle
{
    static readonly Dictionary<string, string> FormCategories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["login"] = QuotaCategories.UserAuthentication, ["mfa"] = QuotaCategories.UserAuthentication,
        ["newPassword"] = QuotaCategories.UserAuthentication,
        ["signup"] = QuotaCategories.UserCreation, ["confirm"] = QuotaCategories.UserCreation,
        ["resendCode"] = QuotaCategories.UserAccountRecovery, ["forgotPassword"] = QuotaCategories.UserAccountRecovery,
        ["confirmForgotPassword"] = QuotaCategories.UserAccountRecovery,
    };

    /// <summary>Endpoint filter of the providers' way back (<c>/oauth2/idpresponse</c>, <c>/saml2/idpresponse</c>): UserFederation
    /// against the pool of the domain when the route names one, the address always; over the limit a 429 page.</summary>
    public static async ValueTask<object?> IdpResponse(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.Value!.EndsWith("/idpresponse", StringComparison.Ordinal)) return await next(context);
        var domain = http.Request.RouteValues["domain"] as string;
        try
        {
            await http.RequestServices.GetRequiredService<RateLimits>().CheckDomain(http, domain ?? "", QuotaCategories.UserFederation, http.RequestAborted);
        }
        catch (TooManyRequestsException)
        {
            http.Response.Headers.RetryAfter = "1";
            return domain is null
                ? Results.Text(HostedUi.Pages.HostedPages.TextsOf(http)["TooManyRequests"], statusCode: StatusCodes.Status429TooManyRequests)
                : await http.RequestServices.GetRequiredService<HostedUi.Pages.HostedPages>().Message(http, domain, HostedUi.UserText.Of("TooManyRequests"), StatusCodes.Status429TooManyRequests);
        }
        return await next(context);
    }

    /// <summary>Endpoint filter of the token endpoint: client credentials count as ClientAuthentication, the other grants as
    /// UserToken; over the limit it answers HTTP 429 with an OAuth-style JSON error.</summary>
    public static async ValueTask<object?> Token(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues["domain"] is not string domain || !http.Request.HasFormContentType) return await next(context);
        string? grantType;
        try
        {
            grantType = (await http.Request.ReadFormAsync(http.RequestAborted))["grant_type"];
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            grantType = null;   // counted all the same; a form that does not parse is the endpoint's to answer
        }
        var category = grantType == "client_credentials" ? QuotaCategories.ClientAuthentication : QuotaCategories.UserToken;
        try
        {
            await http.RequestServices.GetRequiredService<RateLimits>().CheckDomain(http, domain, category, http.RequestAborted);
        }
        catch (TooManyRequestsException)
        {
            http.Response.Headers.RetryAfter = "1";
            http.Response.Headers.CacheControl = "no-store";
            return Results.Json(new Dictionary<string, string> { ["error"] = "too_many_requests", ["error_description"] = RateLimits.Message },
                statusCode: StatusCodes.Status429TooManyRequests);
        }
        return await next(context);
    }

    /// <summary>Endpoint filter of the hosted UI's group: form posts are counted before their page runs.</summary>
    public static async ValueTask<object?> Forms(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.RouteValues["domain"] is not string domain) return await next(context);
        var form = http.Request.Path.Value?[(http.Request.Path.Value.LastIndexOf('/') + 1)..] ?? "";
        if (!FormCategories.TryGetValue(form, out var category)) return await next(context);
        try
        {
            await http.RequestServices.GetRequiredService<RateLimits>().CheckDomain(http, domain, category, http.RequestAborted);
        }
        catch (TooManyRequestsException)
        {
            http.Response.Headers.RetryAfter = "1";
            return await http.RequestServices.GetRequiredService<HostedUi.Pages.HostedPages>().Message(http, domain, HostedUi.UserText.Of("TooManyRequests"), StatusCodes.Status429TooManyRequests);
        }
        return await next(context);
    }
}
