using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sts;
using Portal.Server.Engine;
using Portal.Server.Throttling;

namespace Portal.Server.Wire;

/// <summary>IAM and STS on the Query protocol at the same <c>POST /</c> as AWS JSON: a form body with <c>Action</c> and
/// <c>Version</c>, routed by them (or by the SigV4 scope's service), sent through the dispatcher, answered in XML.</summary>
public static class QueryEndpoint
{
    const string XmlContentType = "text/xml";

    /// <summary>A POST without X-Amz-Target whose body is a form is a Query request.</summary>
    public static bool IsQuery(HttpRequest request) =>
        request.Headers["X-Amz-Target"].Count == 0
        && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    public static async Task Handle(HttpContext http, Dispatcher dispatcher, SigV4 sigV4, ApiOptions api, RateLimits limits, ILogger log)
    {
        var ct = http.RequestAborted;
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        var action = "";
        try
        {
            var body = await AwsJsonEndpoint.ReadBody(http.Request, ct);
            var parameters = Parameters(http.Request, body);
            action = parameters.GetValueOrDefault("Action") ?? throw new UnknownCognitoException("MissingAction", "Missing Action", 400);
            var scopeService = ScopeService(http.Request.Headers.Authorization.ToString());
            var (type, service) = QueryProtocol.Find(action, parameters.GetValueOrDefault("Version"), scopeService)
                                  ?? throw new UnknownCognitoException("InvalidAction", $"Could not find operation {action} for version {parameters.GetValueOrDefault("Version") ?? "NO_VERSION_SPECIFIED"}", 400);

            SignedCaller? caller = null;
            if (!Operations.IsUnsigned(type) && (api.RequireSignature || http.Request.Headers.Authorization.Count > 0))
                caller = await sigV4.Authenticate(http.Request, body, ct);
            // Temporary credentials of an assumed role reach only STS's own questions about them; IAM and the admin APIs
            // need an admin key (the gateway's IAM authorisation, issue #17, will extend this by the role's policies).
            if (caller?.Session is { } session && type != typeof(GetCallerIdentityRequest))
                throw SigV4.NotAdmin(session, $"{service}:{action}");
            WireCallers.Set(http, caller);

            var request = QueryProtocol.Deserialize(type, parameters);
            await limits.CheckRequest(http, request, ct);
            var response = await AwsJsonEndpoint.Send(dispatcher, request, type, Caller.Wire(caller?.AccessKeyId), ct);
            http.Response.StatusCode = 200;
            http.Response.ContentType = XmlContentType;
            await http.Response.Body.WriteAsync(QueryProtocol.Response(service, action, response, requestId), ct);
        }
        catch (CognitoException e)
        {
            if (e.Status >= 500) log.LogError(e, "{Action} failed", action);
            var (code, status) = QueryProtocol.Map(e);
            await WriteError(http, code, e.Message, status, requestId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "{Action} failed with an unexpected error", action);
            await WriteError(http, "InternalFailure", "An internal error occurred.", 500, requestId);
        }
    }

    static async Task WriteError(HttpContext http, string code, string message, int status, string requestId)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        http.Response.ContentType = XmlContentType;
        await http.Response.Body.WriteAsync(QueryProtocol.Error(code, message, status < 500, requestId));
    }

    /// <summary>The form body's parameters, and the query string's (GET-style Query requests and presigned URLs).</summary>
    static Dictionary<string, string> Parameters(HttpRequest request, byte[] body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in request.Query) result[k] = v.ToString();
        if (body.Length > 0)
            foreach (var (k, v) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                // A parameter given twice could be read one way here and another by a proxy: refuse it.
                if (v.Count > 1) throw new UnknownCognitoException("MalformedQueryString", $"Parameter {k} is given more than once.", 400);
                result[k] = v.ToString();
            }
        return result;
    }

    /// <summary>The service of the SigV4 credential scope (<c>Credential=AKIA…/20261204/us-east-1/iam/aws4_request</c>).</summary>
    static string? ScopeService(string authorization)
    {
        var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (at < 0) return null;
        var end = authorization.IndexOf(',', at);
        var scope = authorization[(at + "Credential=".Length)..(end < 0 ? authorization.Length : end)].Split('/');
        return scope.Length == 5 ? scope[3] : null;
    }
}
