using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Sts;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Server.Wire;

namespace Portal.Server.Gateway.IamApi;

/// <summary>An HTTP API with API Gateway's <c>AWS_IAM</c> authorization: its id and stage name the resource
/// <c>arn:aws:execute-api:{region}:{account}:{ApiId}/{Stage}/{METHOD}/{path}</c>; the region defaults to Portal's.</summary>
public sealed record IamApiSettings
{
    public string ApiId { get; set; } = "";
    public string Stage { get; set; } = "$default";
    public string? Region { get; set; }
}

/// <summary>The decision on one request: 200 with the caller, or API Gateway's 403 with its message.
/// <see cref="Deciding"/> is the statement that allowed or denied (for the decision log).</summary>
public sealed record IamApiAuthorization(int Status, string Message, SignedCaller? Caller, string Resource, string? Deciding)
{
    /// <summary>The x-amzn-ErrorType of a signature problem (null for a policy decision).</summary>
    public string? ErrorType { get; init; }

    public bool Allowed => Status == 200;

    /// <summary>The body API Gateway answers with: <c>{"message":"…"}</c>.</summary>
    public string Body => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = Message });

    /// <summary>Who called, for the decision log: the assumed role's ARN or the admin key.</summary>
    public string? CallerName => Caller?.Session?.AssumedRoleArn ?? Caller?.AccessKeyId;
}

/// <summary>
/// API Gateway's IAM authorizer: the request must be signed (SigV4, service <c>execute-api</c>) with identity-pool
/// credentials or an admin key, and <c>execute-api:Invoke</c> on the route's ARN must be allowed by the role's policies
/// intersected with the session policy (the guests' scope-down policy). Admin keys act as the account's root.
/// The signature is the Authorization header's or a presigned query's (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
/// X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token, X-Amz-Signature); API Gateway keeps a presigned request
/// valid for 5 minutes after X-Amz-Date whatever X-Amz-Expires says; Portal honours a shorter X-Amz-Expires too.
/// </summary>
public sealed class IamApiAuthorizer(SigV4 sigV4, RolePolicies roles, ApiKeys keys, SessionTokens sessions, IOptions<PortalOptions> options, TimeProvider clock)
{
    public const string Service = "execute-api";
    public const string Action = "execute-api:Invoke";
    public static readonly TimeSpan PresignedValidity = TimeSpan.FromMinutes(5);

    public string ResourceArn(IamApiSettings settings, string method, string path) =>
        $"arn:aws:execute-api:{settings.Region ?? options.Value.Region}:{options.Value.AccountId}:{settings.ApiId}/{settings.Stage}/{method.ToUpperInvariant()}/{path.TrimStart('/')}";

    /// <param name="path">The path within the API (after the route's prefix), as the resource ARN names it.</param>
    public async Task<IamApiAuthorization> Authorize(HttpRequest request, byte[] body, IamApiSettings settings, string path, CancellationToken ct)
    {
        var resource = ResourceArn(settings, request.Method, path);
        SignedCaller caller;
        try
        {
            var query = SigV4Query.ParseQuery(SigV4Query.RawQuery(request));
            if (request.Headers.Authorization.Count == 0 && SigV4Query.IsPresigned(query))
                caller = await Presigned(request, body, query, ct);
            else
            {
                if (CredentialService(request.Headers.Authorization.ToString()) is { } service && service != Service)
                    return Denied($"Credential should be scoped to correct service: '{Service}'. ", null, resource) with { ErrorType = "InvalidSignatureException" };
                caller = await sigV4.Authenticate(request, body, ct);
            }
        }
        catch (CognitoException e)
        {
            // API Gateway answers every signature problem 403 with its message; a missing header is "Missing Authentication Token".
            return Denied(e is MissingAuthenticationTokenException ? "Missing Authentication Token" : e.Message, null, resource) with { ErrorType = e.Type };
        }
        if (caller.Session is not { } session)
            return new IamApiAuthorization(200, "", caller, resource, "admin access key (the account's root)");

        var policies = await roles.Of(session.RoleArn, ct);
        if (policies is null)
            return Denied(NotAuthorized(session, resource), caller, resource, "the role no longer exists");
        var context = SessionContext.For(session, Action, resource, request.HttpContext.Connection.RemoteIpAddress?.ToString(), clock.GetUtcNow(), request.IsHttps);
        var evaluation = policies.Evaluate(await roles.OfSession(session.SessionPolicy, session.SessionPolicyArns, ct), context);
        var statement = Describe(evaluation);
        return evaluation.Allowed
            ? new IamApiAuthorization(200, "", caller, resource, statement)
            : Denied(NotAuthorized(session, resource), caller, resource, statement);
    }

    /// <summary>Verifies a presigned (query-string) request: its parameters, expiry and skew (<see cref="SigV4Query.Parse"/>),
    /// its credentials as the header form's, and its signature over the query without X-Amz-Signature and the payload's
    /// hash (x-amz-content-sha256 when sent, else the body's SHA-256, as the AWS SDKs' presigners sign it).</summary>
    async Task<SignedCaller> Presigned(HttpRequest request, byte[] body, List<KeyValuePair<string, string>> query, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        PresignedQuery p;
        try
        {
            p = SigV4Query.Parse(query, now, PresignedValidity);
        }
        catch (SigV4QueryException e)
        {
            var stamp = query.FirstOrDefault(q => q.Key == "X-Amz-Date").Value;
            throw e.Problem switch
            {
                PresignProblem.MissingParameter => new IncompleteSignatureException(
                    "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders' and 'X-Amz-Date'. Re-examine the query-string parameters."),
                PresignProblem.BadAlgorithm => new IncompleteSignatureException("Unsupported AWS 'algorithm': 'X-Amz-Algorithm' must be 'AWS4-HMAC-SHA256'."),
                PresignProblem.BadCredential => new IncompleteSignatureException(
                    $"Credential should be scoped to a valid region, service and 'aws4_request', not '{query.FirstOrDefault(q => q.Key == "X-Amz-Credential").Value}'."),
                PresignProblem.BadDate => new IncompleteSignatureException("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""),
                PresignProblem.DateMismatch => new InvalidSignatureException("Date in Credential scope does not match X-Amz-Date."),
                PresignProblem.BadExpires => new IncompleteSignatureException("X-Amz-Expires must be a whole number of seconds from 1 to 604800 (a week)."),
                PresignProblem.NotYetValid => new InvalidSignatureException(
                    $"Signature not yet current: {stamp} is still later than {now.Add(SigV4Query.AllowedSkew):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} + 15 min.)"),
                _ => new InvalidSignatureException(Expired(query, stamp, now)),
            };
        }
        if (p.Service != Service)
            throw new InvalidSignatureException($"Credential should be scoped to correct service: '{Service}'. ");

        SessionClaims? session = null;
        string secret;
        if (p.AccessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            session = await sessions.Open(p.SecurityToken ?? "", ct);
            if (session is null || session.AccessKeyId != p.AccessKeyId)
                throw new UnrecognizedClientException("The security token included in the request is invalid.");
            if (session.Expiration <= now)
                throw new ExpiredSessionException("The security token included in the request is expired");
            secret = session.SecretAccessKey;
        }
        else
        {
            secret = await keys.SecretOf(p.AccessKeyId, ct) ?? throw new UnrecognizedClientException("The security token included in the request is invalid.");
        }

        var headers = SigV4Query.SignedHeaderValues(request, p.SignedHeaders);
        if (headers is null || !headers.Any(h => h.Key == "host"))
            throw new IncompleteSignatureException("The 'host' header must be signed.");
        var payloadHash = request.Headers["x-amz-content-sha256"].FirstOrDefault() is { Length: > 0 } declared
            ? declared : SigV4Query.Hex(System.Security.Cryptography.SHA256.HashData(body));
        var expected = SigV4Query.Sign(SigV4Query.SigningKey(secret, p.Date, p.Region, p.Service), request.Method, SigV4Query.RawPath(request),
            p.SigningQuery, headers, payloadHash, p.AmzDate, p.Scope);
        if (!SigV4Query.Matches(expected, p.Signature))
            throw new InvalidSignatureException(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        return new SignedCaller(p.AccessKeyId, session);
    }

    /// <summary>API Gateway's words for a presigned request past its validity: "Signature expired: {X-Amz-Date} is now
    /// earlier than {now − validity} ({now} - 5 min.)".</summary>
    static string Expired(List<KeyValuePair<string, string>> query, string? stamp, DateTimeOffset now)
    {
        var validity = PresignedValidity;
        if (int.TryParse(query.FirstOrDefault(q => q.Key == "X-Amz-Expires").Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && TimeSpan.FromSeconds(seconds) < validity)
            validity = TimeSpan.FromSeconds(seconds);
        var span = validity.TotalSeconds % 60 == 0
            ? $"{validity.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min."
            : $"{validity.TotalSeconds.ToString(CultureInfo.InvariantCulture)} sec.";
        return $"Signature expired: {stamp} is now earlier than {now.Subtract(validity):yyyyMMdd'T'HHmmss'Z'} ({now:yyyyMMdd'T'HHmmss'Z'} - {span})";
    }

    static string NotAuthorized(SessionClaims session, string resource) =>
        $"User: {session.AssumedRoleArn} is not authorized to perform: {Action} on resource: {resource}";

    static IamApiAuthorization Denied(string message, SignedCaller? caller, string resource, string? deciding = null) =>
        new(403, message, caller, resource, deciding);

    static string Describe(Evaluation e) => e.Decision switch
    {
        Decision.ImplicitDeny => "no statement allows it (implicit deny)",
        _ => $"{(e.Decision == Decision.Allow ? "Allow" : "Deny")} statement {e.Statement?.Sid ?? "(no Sid)"}",
    };

    /// <summary>The service of the Authorization header's credential scope, or null when there is none to read.</summary>
    public static string? CredentialService(string authorization)
    {
        var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (at < 0) return null;
        var end = authorization.IndexOf(',', at);
        var scope = authorization[(at + "Credential=".Length)..(end < 0 ? authorization.Length : end)].Trim().Split('/');
        return scope.Length == 5 ? scope[3] : null;
    }
}

/// <summary>The request context IAM gives a session's request: who (aws:userid, aws:PrincipalArn, principal tags), the
/// web identity's keys (cognito-identity.amazonaws.com:sub / aud / amr), the source address and the time.</summary>
public static class SessionContext
{
    public static RequestContext For(SessionClaims session, string action, string resource, string? sourceIp, DateTimeOffset now, bool secure)
    {
        var context = new RequestContext
        {
            Action = action,
            Resource = resource,
            Principal = new RequestPrincipal("AWS", [session.AssumedRoleArn, session.RoleArn]),
        };
        context.With("aws:userid", session.AssumedRoleId)
            .With("aws:PrincipalArn", session.RoleArn)
            .With("aws:PrincipalAccount", session.Account)
            .With("aws:PrincipalType", "AssumedRole")
            .With("aws:TokenIssueTime", session.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        context.With("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .With("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .With("aws:SecureTransport", secure ? "true" : "false");
        if (sourceIp is not null) context.With("aws:SourceIp", sourceIp);
        foreach (var (tag, value) in session.Tags) context.With($"aws:PrincipalTag/{tag}", value);
        if (session.Provider is { } provider)
        {
            if (session.Subject is { } sub) context.With($"{provider}:sub", sub);
            if (session.Audience is { } aud) context.With($"{provider}:aud", aud);
            if (session.Amr.Count > 0) context.With($"{provider}:amr", session.Amr);
        }
        return context;
    }
}
