using Microsoft.Extensions.Primitives;

namespace Portal.Server.Wire;

/// <summary>
/// CORS as Cognito answers it, so browser apps (Amplify, the AWS SDKs, oidc-client-ts) on other origins can call Portal:
/// the API endpoint (<c>POST /</c>), Cognito Sync's REST routes (<c>/identitypools/…</c>, which amazon-cognito-js and the
/// SDKs call from the page, signed with the identity's credentials) and a domain's <c>/oauth2/token</c>,
/// <c>/oauth2/userInfo</c> and <c>/oauth2/revoke</c> for any origin, without credentials (they carry signatures or tokens,
/// never cookies), plus discovery and JWKS. Nothing else is answered: the admin portal and the hosted pages stay
/// same-origin.
/// </summary>
public static class Cors
{
    // What AWS SDKs and Amplify send from a browser.
    const string AllowedHeaders = "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, "
                                  + "authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control, x-requested-with, x-amz-client-context";

    // What the SDKs read from answers and errors.
    const string ExposedHeaders = "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date";

    public static IApplicationBuilder UseCognitoCors(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var methods = Methods(http.Request.Path);
        if (methods is null || StringValues.IsNullOrEmpty(http.Request.Headers.Origin))
        {
            await next(http);
            return;
        }
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            headers.AccessControlAllowMethods = methods;
            headers.AccessControlAllowHeaders = AllowedHeaders;
            headers.AccessControlMaxAge = "86400";
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        headers.AccessControlExposeHeaders = ExposedHeaders;
        await next(http);
    });

    /// <summary>The methods a cross-origin caller may use on this path, or null when the path is same-origin only.</summary>
    static string? Methods(PathString path)
    {
        var p = path.Value ?? "";
        if (p == "/") return "POST, OPTIONS";
        var parts = p.Trim('/').Split('/');
        return parts switch
        {
            ["identitypools", ..] => "GET, POST, DELETE, OPTIONS",
            [_, "oauth2", "token" or "revoke"] => "POST, OPTIONS",
            [_, "oauth2", "userInfo"] => "GET, POST, OPTIONS",
            [_, ".well-known", "jwks.json" or "openid-configuration"] => "GET, OPTIONS",
            _ => null,
        };
    }
}
