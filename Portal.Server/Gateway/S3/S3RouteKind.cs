using System.Globalization;
using System.Xml;
using Microsoft.Extensions.Options;
using Portal.Server.Iam.Policies;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portal.Server.Gateway.S3;

/// <summary>
/// The S3 route: S3-compatible storage behind IAM authorization, at the same endpoint as every other service. A request
/// signed for service <c>s3</c> (Authorization header or presigned query) is verified (<see cref="S3Signature"/>), read as
/// its S3 operation (<see cref="S3Operation"/>), evaluated against the caller's role policies ∩ session policy, and
/// forwarded to the backend path-style, re-signed with the backend's own key (the caller's Authorization never leaves).
/// Buckets are addressed path-style (<c>/{bucket}/{key}</c>) or virtual-hosted (<c>{bucket}.{Host}</c>, only for the
/// route's configured Host names).
/// Settings: BackendAccessKeyId, BackendSecretAccessKey, BackendRegion (us-east-1), Buckets (comma-separated; others are
/// NoSuchBucket), VirtualHosts (comma-separated extra base names besides Host), Cors (S3's CORSConfiguration as JSON, see
/// <see cref="S3Cors"/>), AllowAdminKeys (false: Portal's admin
/// AKIA keys get full access when true), MaxBodyBytes (5 GiB), PolicyCacheSeconds (5).
/// </summary>
public sealed class S3RouteKind(S3Signature signature, S3Policies policies, TimeProvider clock, IOptions<PortalOptions> portal) : IGatewayRouteKind
{
    const string ItemKey = "Portal.Gateway.S3";
    const long DefaultMaxBody = 5L * 1024 * 1024 * 1024;
    const int MaxMetadataBytes = 2048;
    const int MaxDeleteBody = 2 * 1024 * 1024;

    public GatewayRouteKind Kind => GatewayRouteKind.S3;

    sealed record Forward(string Bucket, string? Key, S3Caller Caller, Func<S3Exception?>? BodyFailure);

    public void Validate(GatewayRoute route)
    {
        if (route.Setting("BackendAccessKeyId") is null || route.Setting("BackendSecretAccessKey") is null)
            throw new Portal.Client.Contract.InvalidParameterException("An S3 route needs Settings BackendAccessKeyId and BackendSecretAccessKey (the backend's own key).", "Route.Settings");
        if (route.Number("MaxBodyBytes", DefaultMaxBody) <= 0)
            throw new Portal.Client.Contract.InvalidParameterException("MaxBodyBytes must be positive.", "Route.Settings");
        if (route.PathPrefix is not null)
            throw new Portal.Client.Contract.InvalidParameterException("An S3 route is matched by its signature (service s3) and its Host; it has no PathPrefix.", "Route.PathPrefix");
        S3CorsConfiguration.Of(route);
    }

    /// <summary>Requests signed for service s3: by header, or presigned (the credential in the query). A route with a Host
    /// answers only that host and its virtual-hosted names ({bucket}.{Host}), ahead of a route without one, which answers
    /// signed S3 requests on any host (Portal's own endpoint, path-style).</summary>
    public IEnumerable<RouteConfig> Matches(GatewayRoute route)
    {
        var max = route.Number("MaxBodyBytes", DefaultMaxBody);
        IReadOnlyList<string>? hosts = route.Host is { } host ? [host, "*." + host] : null;
        int? order = route.Host is null ? null : GatewayProxyConfig.Order - 1;
        yield return new RouteConfig
        {
            RouteId = route.Id + "#header", ClusterId = route.Id, MaxRequestBodySize = max, Order = order,
            Match = new RouteMatch
            {
                Path = "/{**s3-path}", Hosts = hosts,
                Headers = [new RouteHeader { Name = "Authorization", Values = ["/s3/aws4_request"], Mode = HeaderMatchMode.Contains }],
            },
        };
        yield return new RouteConfig
        {
            RouteId = route.Id + "#presigned", ClusterId = route.Id, MaxRequestBodySize = max, Order = order,
            Match = new RouteMatch
            {
                Path = "/{**s3-path}", Hosts = hosts,
                QueryParameters = [new RouteQueryParameter { Name = "X-Amz-Credential", Values = ["/s3/aws4_request"], Mode = QueryParameterMatchMode.Contains }],
            },
        };
    }

    public async Task<bool> Authorize(GatewayRequest request)
    {
        var http = request.Http;
        var route = request.Route;
        S3Cors.OnActual(http, route);
        string? resource = null;
        S3Caller? caller = null;
        try
        {
            var (bucket, key) = Address(http.Request, route);
            resource = key is null ? "/" + bucket : $"/{bucket}/{key}";
            caller = await signature.Verify(http.Request, request.Aborted);
            var query = SigV4Query.ParseQuery(SigV4Query.RawQuery(http.Request));
            var copySource = http.Request.Headers["x-amz-copy-source"].FirstOrDefault() is { Length: > 0 } source ? Uri.UnescapeDataString(source) : null;
            var operation = S3Operation.Of(http.Request.Method, bucket, key, query, copySource);
            if (route.Setting("Buckets") is { } buckets && bucket.Length > 0
                && !buckets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(bucket, StringComparer.Ordinal))
                throw new S3Exception("NoSuchBucket", "The specified bucket does not exist", 404);

            var failure = await PrepareBody(http.Request, route, caller);
            var checks = operation.Checks;
            if (operation.Name == "DeleteObjects") checks = await DeleteChecks(http.Request, bucket, caller);

            if (caller.Session is null)
            {
                var allowed = route.Flag("AllowAdminKeys");
                foreach (var check in checks)
                    request.Record(new GatewayDecision(allowed ? GatewayDecision.Allow : GatewayDecision.ImplicitDeny)
                    {
                        Caller = caller.AccessKeyId, AccessKeyId = caller.AccessKeyId, Action = check.Action, Resource = check.Resource,
                        Policy = "admin access key", Statement = allowed ? "AllowAdminKeys" : null, ErrorCode = allowed ? null : "AccessDenied",
                    });
                if (!allowed) throw S3Exception.AccessDenied($"User: {caller.AccessKeyId} is not authorized to perform: {(checks.Count > 0 ? checks[0].Action : operation.Name)} because the S3 route does not allow Portal's admin keys");
            }
            else
            {
                var session = caller.Session;
                var keep = TimeSpan.FromSeconds(route.Number("PolicyCacheSeconds", 5));
                var identity = await policies.OfRole(session.RoleId, keep, request.Aborted);
                var scopeDown = await policies.OfSession(session.SessionPolicy, session.SessionPolicyArns, keep, request.Aborted);
                foreach (var check in checks)
                {
                    var context = Context(session, caller, check, request, http);
                    var evaluation = identity.Evaluate(scopeDown, context);
                    var decidedBy = identity.DecidedBy(evaluation, scopeDown);
                    request.Record(GatewayDecision.Of(evaluation.Decision) with
                    {
                        Caller = session.Subject ?? session.AssumedRoleId,
                        AccessKeyId = caller.AccessKeyId,
                        Action = check.Action,
                        Resource = check.Resource,
                        Policy = decidedBy?.Name,
                        Statement = evaluation.Statement is { } s ? s.Sid ?? "#" + s.Index.ToString(CultureInfo.InvariantCulture) : null,
                        ErrorCode = evaluation.Allowed ? null : "AccessDenied",
                    });
                    if (!evaluation.Allowed)
                        throw S3Exception.AccessDenied(
                            $"User: {session.AssumedRoleArn} is not authorized to perform: {check.Action} on resource: \"{check.Resource}\" because "
                            + (evaluation.Decision == Decision.ExplicitDeny ? "of an explicit deny" : "no identity-based policy allows the " + check.Action + " action"));
                }
            }
            http.Items[ItemKey] = new Forward(bucket, key, caller, failure);
            return true;
        }
        catch (S3Exception e)
        {
            if (e.Code != "AccessDenied" || caller is null)
                request.Record(new GatewayDecision(GatewayDecision.Error)
                {
                    Caller = caller?.Session?.Subject ?? caller?.AccessKeyId, AccessKeyId = caller?.AccessKeyId, Resource = resource, ErrorCode = e.Code,
                });
            await S3Errors.Write(http, e, resource);
            return false;
        }
    }

    /// <summary>The context keys of one check: who (aws:userid, aws:PrincipalArn, the web identity's sub/aud/amr, principal
    /// tags), from where and when (aws:SourceIp, aws:CurrentTime), how it was signed, and the action's own (s3:prefix…).</summary>
    RequestContext Context(Sts.SessionClaims session, S3Caller caller, S3Check check, GatewayRequest request, HttpContext http)
    {
        var now = clock.GetUtcNow();
        var context = new RequestContext
        {
            Action = check.Action, Resource = check.Resource,
            Principal = new RequestPrincipal("AWS", [session.AssumedRoleArn, session.RoleArn]),
        };
        context.With("aws:userid", session.AssumedRoleId)
            .With("aws:PrincipalArn", session.RoleArn)
            .With("aws:PrincipalAccount", session.Account)
            .With("aws:PrincipalType", "AssumedRole")
            .With("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .With("aws:EpochTime", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .With("aws:TokenIssueTime", session.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .With("aws:SecureTransport", http.Request.IsHttps ? "true" : "false")
            .With("aws:RequestedRegion", portal.Value.Region)
            .With("s3:authType", caller.Presigned ? "REST-QUERY-STRING" : "REST-HEADER")
            .With("s3:signatureversion", "AWS4-HMAC-SHA256")
            .With("s3:x-amz-content-sha256", caller.PayloadHash);
        if (request.SourceIp is { } ip) context.With("aws:SourceIp", ip);
        if (caller.Presigned) context.With("s3:signatureAge", ((long)(now - caller.SignedAt).TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (session.Provider is { } provider)
        {
            context.With("aws:FederatedProvider", provider);
            if (session.Subject is { } sub) context.With(provider + ":sub", sub);
            if (session.Audience is { } aud) context.With(provider + ":aud", aud);
            if (session.Amr.Count > 0) context.With(provider + ":amr", session.Amr);
        }
        foreach (var (tag, value) in session.Tags) context.With("aws:PrincipalTag/" + tag, value);
        if (check.Keys is { } keys)
            foreach (var (k, v) in keys) context.With(k, v);
        if (http.Request.Headers["x-amz-acl"].FirstOrDefault() is { Length: > 0 } acl) context.With("s3:x-amz-acl", acl);
        if (http.Request.Headers["x-amz-copy-source"].FirstOrDefault() is { Length: > 0 } copy) context.With("s3:x-amz-copy-source", copy);
        return context;
    }

    /// <summary>Bucket and key of a request: virtual-hosted when the Host is <c>{bucket}.{a configured name}</c>, else path-style.
    /// Keys with "." or ".." segments are refused: the backend's URL handling could resolve them to another key.</summary>
    static (string Bucket, string? Key) Address(HttpRequest request, GatewayRoute route)
    {
        var raw = SigV4Query.RawPath(request);
        var host = request.Host.Host.ToLowerInvariant();
        string bucket;
        string keyRaw;
        var virtualBase = VirtualHosts(route).FirstOrDefault(b => host.Length > b.Length + 1 && host.EndsWith("." + b, StringComparison.Ordinal));
        if (virtualBase is not null)
        {
            bucket = host[..^(virtualBase.Length + 1)];
            keyRaw = raw.Length > 1 ? raw[1..] : "";
        }
        else
        {
            var trimmed = raw.Length > 0 ? raw[1..] : "";
            var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
            bucket = Uri.UnescapeDataString(slash < 0 ? trimmed : trimmed[..slash]);
            keyRaw = slash < 0 ? "" : trimmed[(slash + 1)..];
        }
        if (bucket.Length > 0 && (bucket.Length > 255 || bucket is "." or ".." || !bucket.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
            throw new S3Exception("InvalidBucketName", "The specified bucket is not valid.", 400);
        var key = keyRaw.Length == 0 ? null : Uri.UnescapeDataString(keyRaw);
        if (key is not null && key.Split('/').Any(s => s is "." or ".."))
            throw S3Exception.InvalidArgument("Object keys with '.' or '..' path segments are not accepted by this gateway.");
        if (key is not null && key.Length > 1024) throw new S3Exception("KeyTooLongError", "Your key is too long", 400);
        return (bucket, key);
    }

    static IEnumerable<string> VirtualHosts(GatewayRoute route)
    {
        if (route.Host is { } host) yield return host.Split(':')[0];
        if (route.Setting("VirtualHosts") is { } more)
            foreach (var name in more.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) yield return name.ToLowerInvariant();
    }

    /// <summary>Checks the body's size and metadata, and puts in place what verifies its payload hash while it streams
    /// (or de-chunks an aws-chunked upload). Returns how to learn of a failure found mid-stream.</summary>
    static async Task<Func<S3Exception?>?> PrepareBody(HttpRequest request, GatewayRoute route, S3Caller caller)
    {
        var max = route.Number("MaxBodyBytes", DefaultMaxBody);
        var metadata = request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .Sum(h => h.Key.Length - "x-amz-meta-".Length + h.Value.ToString().Length);
        if (metadata > MaxMetadataBytes)
            throw new S3Exception("MetadataTooLarge", $"Your metadata headers exceed the maximum allowed metadata size of {MaxMetadataBytes} bytes.", 400);
        var length = request.ContentLength;
        if (length > max) throw S3Exception.EntityTooLarge();
        var hash = caller.PayloadHash;
        if (hash.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            var signedChunks = hash is "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" or "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
            var trailer = hash.EndsWith("-TRAILER", StringComparison.Ordinal);
            if (!signedChunks && hash != "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                throw S3Exception.InvalidArgument($"x-amz-content-sha256 must be a SHA-256, UNSIGNED-PAYLOAD or a supported STREAMING mode, not {hash}.");
            if (!long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var decoded))
                throw new S3Exception("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
            if (decoded > max) throw S3Exception.EntityTooLarge();
            var stream = new AwsChunkedStream(request.Body, decoded, caller, signedChunks, trailer);
            request.Body = await Spool(stream, decoded, request.HttpContext);
            request.ContentLength = decoded;
            var encodings = request.Headers.ContentEncoding.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)).ToList();
            if (encodings.Count == 0) request.Headers.Remove("Content-Encoding");
            else request.Headers.ContentEncoding = string.Join(",", encodings);
            request.Headers.Remove("x-amz-decoded-content-length");
            request.Headers.Remove("x-amz-trailer");
            request.Headers.Remove("Transfer-Encoding");
            return null;
        }
        if (hash == SigV4Query.UnsignedPayload) return null;
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            throw S3Exception.InvalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a valid sha256 value.");
        if (length is null or 0)
        {
            if (request.Headers.TransferEncoding.Count > 0 && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
                throw new S3Exception("MissingContentLength", "You must provide the Content-Length HTTP header.", 411);
            if (!hash.Equals(S3Signature.EmptyHash, StringComparison.OrdinalIgnoreCase)) throw S3Exception.ContentMismatch();
            return null;
        }
        request.Body = await Spool(new HashCheckingStream(request.Body, length.Value, hash), length.Value, request.HttpContext);
        return null;
    }

    const long InMemoryBody = 8 * 1024 * 1024;

    /// <summary>Reads a checked body whole before anything is forwarded (in memory up to 8 MiB, else in a temporary file
    /// deleted when the request ends), so a body that fails its hash or a chunk signature never reaches the backend, not
    /// even in part (some S3-compatible stores keep what an aborted upload sent).</summary>
    static async Task<Stream> Spool(Stream checkedBody, long length, HttpContext http)
    {
        Stream spool = length <= InMemoryBody
            ? new MemoryStream((int)length)
            : new FileStream(Path.Combine(Path.GetTempPath(), "portal-s3-" + Guid.NewGuid().ToString("n")), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        http.Response.RegisterForDisposeAsync(spool);
        await using (checkedBody)
            await checkedBody.CopyToAsync(spool, 81920, http.RequestAborted);
        if (spool.Length != length) throw S3Exception.IncompleteBody();
        spool.Position = 0;
        return spool;
    }

    /// <summary>DeleteObjects names its keys in its body: each needs s3:DeleteObject. The body is read (it is small), checked
    /// against its hash, and given back to the forwarder.</summary>
    static async Task<IReadOnlyList<S3Check>> DeleteChecks(HttpRequest request, string bucket, S3Caller caller)
    {
        if (request.ContentLength is not { } length || length > MaxDeleteBody)
            throw new S3Exception("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.ToArray();
        if (bytes.Length != length) throw S3Exception.IncompleteBody();
        request.Body = new MemoryStream(bytes);
        var checks = new List<S3Check>();
        try
        {
            var doc = new XmlDocument { XmlResolver = null };
            using (var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
                doc.Load(reader);
            foreach (XmlNode node in doc.GetElementsByTagName("Key"))
            {
                var key = node.InnerText;
                if (key.Split('/').Any(s => s is "." or "..")) throw S3Exception.InvalidArgument("Object keys with '.' or '..' path segments are not accepted by this gateway.");
                checks.Add(new S3Check("s3:DeleteObject", S3Operation.ObjectArn(bucket, key)));
            }
        }
        catch (XmlException)
        {
            throw new S3Exception("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
        }
        if (checks.Count is 0 or > 1000)
            throw new S3Exception("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
        return checks;
    }

    /// <summary>The forwarded request: path-style at the backend, the caller's signature and presign parameters removed,
    /// signed with the backend's key (UNSIGNED-PAYLOAD: the body was checked on the way in).</summary>
    public void Transforms(TransformBuilderContext builder, GatewayRoute route)
    {
        builder.UseDefaultForwarders = false;
        var routes = builder.Services.GetRequiredService<GatewayRoutes>();
        var id = route.Id;
        builder.AddRequestTransform(context =>
        {
            var http = context.HttpContext;
            if (http.Items[ItemKey] is not Forward forward || routes.Find(id) is not { } current) throw new InvalidOperationException("S3 request not authorized.");
            var backend = current.Backend;
            var path = backend.AbsolutePath.TrimEnd('/') + (forward.Bucket.Length == 0 ? "/" : "/" + Uri.EscapeDataString(forward.Bucket))
                       + (forward.Key is null ? "" : "/" + string.Join('/', forward.Key.Split('/').Select(Uri.EscapeDataString)));
            var query = string.Join('&', SigV4Query.RawQuery(http.Request).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !SigV4Query.PresignParameters.Contains(Uri.UnescapeDataString(p.Split('=', 2)[0]), StringComparer.OrdinalIgnoreCase)));
            var authority = backend.IsDefaultPort ? backend.Host : $"{backend.Host}:{backend.Port}";
            context.ProxyRequest.RequestUri = new Uri($"{backend.Scheme}://{authority}{path}{(query.Length > 0 ? "?" + query : "")}",
                new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            var headers = context.ProxyRequest.Headers;
            if (http.Request.Headers["x-amz-copy-source"].FirstOrDefault() is { Length: > 0 } copySource)
            {
                var decoded = Uri.UnescapeDataString(copySource).TrimStart('/');
                var q = decoded.IndexOf('?', StringComparison.Ordinal);
                var versionQuery = q >= 0 ? decoded[q..] : "";
                if (q >= 0) decoded = decoded[..q];
                headers.Remove("x-amz-copy-source");
                // Percent-encoded, except ':' and '@' (identity ids hold a ':'): S3 decodes every escape, but S3-compatible stores
                // that read the header with JavaScript's decodeURI (s3rver) leave %3A and %40 undecoded and miss the object.
                headers.TryAddWithoutValidation("x-amz-copy-source", string.Join('/', decoded.Split('/').Select(CopySourceSegment)) + versionQuery);
            }
            foreach (var name in (string[])["Authorization", "X-Amz-Security-Token", "X-Amz-Date", "X-Amz-Content-SHA256", "Cookie", "X-Amz-Decoded-Content-Length", "X-Amz-Trailer", "Origin"])
                headers.Remove(name);
            var amzDate = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var region = current.Setting("BackendRegion") ?? "us-east-1";
            headers.Host = authority;
            headers.TryAddWithoutValidation("x-amz-date", amzDate);
            headers.TryAddWithoutValidation("x-amz-content-sha256", SigV4Query.UnsignedPayload);
            var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
            var key = SigV4Query.SigningKey(current.Setting("BackendSecretAccessKey")!, amzDate[..8], region, "s3");
            var signed = new List<KeyValuePair<string, string>> { new("host", authority), new("x-amz-content-sha256", SigV4Query.UnsignedPayload), new("x-amz-date", amzDate) };
            var sig = SigV4Query.Sign(key, context.ProxyRequest.Method.Method, path, SigV4Query.ParseQuery(query), signed, SigV4Query.UnsignedPayload, amzDate, scope);
            headers.TryAddWithoutValidation("Authorization",
                $"{SigV4Query.Algorithm} Credential={current.Setting("BackendAccessKeyId")}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}");
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Headers over the gateway's limit: S3's 400 RequestHeaderSectionTooLarge.</summary>
    public Task HeadersTooLarge(GatewayRequest request) =>
        S3Errors.Write(request.Http, S3Exception.HeadersTooLarge(), Uri.UnescapeDataString(request.Http.Request.Path.Value ?? "/"));

    /// <summary>A body that failed its check mid-stream answers its S3 error; a backend that could not be reached, 503.</summary>
    public async Task ForwardFailed(GatewayRequest request, ForwarderError error, Exception? exception)
    {
        var http = request.Http;
        var forward = http.Items[ItemKey] as Forward;
        var resource = forward is null ? null : forward.Key is null ? "/" + forward.Bucket : $"/{forward.Bucket}/{forward.Key}";
        var failure = forward?.BodyFailure?.Invoke() ?? exception as S3Exception ?? exception?.InnerException as S3Exception;
        if (failure is not null)
        {
            request.Record(new GatewayDecision(GatewayDecision.Error)
            {
                Caller = forward?.Caller.Session?.Subject ?? forward?.Caller.AccessKeyId, AccessKeyId = forward?.Caller.AccessKeyId, Resource = resource, ErrorCode = failure.Code,
            });
            await S3Errors.Write(http, failure, resource);
            return;
        }
        var clientSide = error is ForwarderError.RequestBodyClient or ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled;
        await S3Errors.Write(http, clientSide
            ? S3Exception.IncompleteBody()
            : new S3Exception("ServiceUnavailable", "The storage backend could not be reached.", 503), resource);
    }

    static string CopySourceSegment(string segment) =>
        Uri.EscapeDataString(segment).Replace("%3A", ":", StringComparison.Ordinal).Replace("%40", "@", StringComparison.Ordinal);
}
