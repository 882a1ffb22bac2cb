using Microsoft.Extensions.Options;
using Portal.Server.Wire;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portal.Server.Gateway.IamApi;

/// <summary>
/// <c>IamApi</c> routes: an HTTP API behind API Gateway's <c>AWS_IAM</c> authorization. Settings: <c>ApiId</c> (default the
/// route's id), <c>Stage</c> (default <c>$default</c>), <c>Region</c> (default Portal's), <c>MaxBodyBytes</c> (default
/// 10 MB, API Gateway's payload limit). The resource is <c>arn:aws:execute-api:{region}:{account}:{ApiId}/{Stage}/{METHOD}/{path
/// after the route's prefix}</c>. Refusals are 403 <c>{"message":…}</c> as API Gateway words them; the backend receives the
/// caller as <see cref="IamIdentityHeaders"/> documents, never the caller's Authorization or security token.
/// </summary>
public sealed class IamApiRouteKind(IOptions<PortalOptions> options) : IGatewayRouteKind
{
    const string CallerItem = "Portal.Gateway.IamCaller";
    const long DefaultMaxBody = 10 * 1024 * 1024;

    public GatewayRouteKind Kind => GatewayRouteKind.IamApi;

    public static IamApiSettings SettingsOf(GatewayRoute route) => new()
    {
        ApiId = route.Setting("ApiId") ?? route.Id,
        Stage = route.Setting("Stage") ?? "$default",
        Region = route.Setting("Region"),
    };

    public async Task<bool> Authorize(GatewayRequest request)
    {
        var http = request.Http;
        var max = request.Route.Number("MaxBodyBytes", DefaultMaxBody);
        if (http.Request.ContentLength > max)
            return await Refuse(request, 413, $"HTTP content length exceeded {max} bytes.", "RequestTooLong", null, null);
        http.Request.EnableBuffering();
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, request.Aborted)) > 0)
            {
                if (buffer.Length + read > max)
                    return await Refuse(request, 413, $"HTTP content length exceeded {max} bytes.", "RequestTooLong", null, null);
                buffer.Write(chunk, 0, read);
            }
            body = buffer.ToArray();
        }
        http.Request.Body.Position = 0;

        var path = http.Request.Path.Value ?? "/";
        if (request.Route.PathPrefix is { } prefix && path.StartsWith(prefix, StringComparison.Ordinal)) path = path[prefix.Length..];
        var result = await http.RequestServices.GetRequiredService<IamApiAuthorizer>().Authorize(http.Request, body, SettingsOf(request.Route), path, request.Aborted);
        if (!result.Allowed)
            return await Refuse(request, result.Status, result.Message, result.Caller is null ? result.ErrorType ?? ErrorType(result.Message) : "AccessDeniedException", result, result.Deciding);
        request.Record(new GatewayDecision(GatewayDecision.Allow)
        {
            Caller = Caller(result.Caller), AccessKeyId = result.Caller?.AccessKeyId, Action = IamApiAuthorizer.Action, Resource = result.Resource,
            Policy = result.Caller?.Session?.RoleName, Statement = result.Deciding,
        });
        http.Items[CallerItem] = result.Caller;
        return true;
    }

    static string? Caller(SignedCaller? caller) => caller?.Session?.Subject ?? caller?.AccessKeyId;

    static async Task<bool> Refuse(GatewayRequest request, int status, string message, string errorType, IamApiAuthorization? result, string? deciding)
    {
        var denied = result?.Caller is not null;
        request.Record(new GatewayDecision(denied ? deciding?.StartsWith("Deny", StringComparison.Ordinal) == true ? GatewayDecision.ExplicitDeny : GatewayDecision.ImplicitDeny : GatewayDecision.Error)
        {
            Caller = Caller(result?.Caller), AccessKeyId = result?.Caller?.AccessKeyId, Action = IamApiAuthorizer.Action, Resource = result?.Resource,
            ErrorCode = errorType, Policy = result?.Caller?.Session?.RoleName, Statement = deciding ?? message,
        });
        var http = request.Http;
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = errorType;
        await http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }), request.Aborted);
        return false;
    }

    /// <summary>The x-amzn-ErrorType API Gateway sends with a signature problem.</summary>
    static string ErrorType(string message) => message switch
    {
        "Missing Authentication Token" => "MissingAuthenticationTokenException",
        _ when message.StartsWith("The security token included in the request is expired", StringComparison.Ordinal) => "ExpiredTokenException",
        _ when message.StartsWith("The security token", StringComparison.Ordinal) => "UnrecognizedClientException",
        _ when message.StartsWith("Signature expired", StringComparison.Ordinal) || message.StartsWith("The request signature", StringComparison.Ordinal)
            => "InvalidSignatureException",
        _ => "IncompleteSignatureException",
    };

    public void Transforms(TransformBuilderContext builder, GatewayRoute route) => builder.AddRequestTransform(t =>
    {
        var headers = t.ProxyRequest.Headers;
        // The signature is for Portal, not the backend: the caller's credentials stop here.
        headers.Remove("Authorization");
        headers.Remove("X-Amz-Security-Token");
        // A presigned request's signature and session token stop here too.
        foreach (var name in SigV4Query.PresignParameters) t.Query.Collection.Remove(name);
        foreach (var name in headers.Select(h => h.Key).Where(k => k.StartsWith(IamIdentityHeaders.Prefix, StringComparison.OrdinalIgnoreCase)).ToList())
            headers.Remove(name);
        if (t.HttpContext.Items[CallerItem] is SignedCaller caller)
            foreach (var (name, value) in IamIdentityHeaders.For(caller, options.Value.AccountId))
                headers.TryAddWithoutValidation(name, value);
        return ValueTask.CompletedTask;
    });
}
