using System.Security;

namespace Portal.Server.Gateway.S3;

/// <summary>An S3 error as S3 answers it: its code, message and HTTP status, written as S3's XML error body.</summary>
public sealed class S3Exception(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;

    public static S3Exception AccessDenied(string message = "Access Denied") => new("AccessDenied", message, 403);
    public static S3Exception SignatureDoesNotMatch() => new("SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.", 403);
    public static S3Exception InvalidAccessKeyId() => new("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", 403);
    public static S3Exception InvalidToken() => new("InvalidToken", "The provided token is malformed or otherwise invalid.", 400);
    public static S3Exception ExpiredToken() => new("ExpiredToken", "The provided token has expired.", 400);
    public static S3Exception Malformed(string message) => new("AuthorizationHeaderMalformed", message, 400);
    public static S3Exception InvalidRequest(string message) => new("InvalidRequest", message, 400);
    public static S3Exception InvalidArgument(string message) => new("InvalidArgument", message, 400);
    public static S3Exception ContentMismatch() => new("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
    public static S3Exception IncompleteBody() => new("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", 400);
    public static S3Exception HeadersTooLarge() => new("RequestHeaderSectionTooLarge", "Your request header section exceeds the maximum allowed size.", 400);
    public static S3Exception EntityTooLarge() => new("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.", 400);

    public static S3Exception AuthorizationQueryError(string message) => new("AuthorizationQueryParametersError", message, 400);
    public static S3Exception Skewed() => new("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403);
}

public static class S3Errors
{
    /// <summary>Writes S3's XML error (unless the answer has started): <c>&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;Resource/&gt;&lt;RequestId/&gt;&lt;/Error&gt;</c>.</summary>
    public static async Task Write(HttpContext http, S3Exception error, string? resource)
    {
        if (http.Response.HasStarted) return;
        var requestId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        http.Response.Clear();
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/xml";
        http.Response.Headers["x-amz-request-id"] = requestId;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + SecurityElement.Escape(error.Code) + "</Code><Message>"
                   + SecurityElement.Escape(error.Message) + "</Message>" + (resource is null ? "" : "<Resource>" + SecurityElement.Escape(resource) + "</Resource>")
                   + "<RequestId>" + requestId + "</RequestId></Error>";
        await http.Response.WriteAsync(body, http.RequestAborted);
    }
}
