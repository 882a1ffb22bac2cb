using Portal.Server.HostedUi;

namespace Portal.Server.Branding;

/// <summary><c>GET /assets/{key}</c>: branding images from the blob store, public (browsers load them on the sign-in page,
/// as Cognito's ImageUrl), cached for good (keys are content hashes), and never sniffed or run as a document.</summary>
public static class AssetEndpoint
{
    public static IEndpointRouteBuilder MapBrandingAssets(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/assets/{key}", [HttpMethods.Get, HttpMethods.Head], Serve).WithName("BrandingAsset").WithHostedUiHeaders();
        return app;
    }

    static async Task<IResult> Serve(string key, HttpContext http, IBlobStore blobs)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Opened on its own, an asset is an inert document: no script, no plugin, no requests.
        headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var blob = BlobKeys.IsValid(key) ? await blobs.Get(key, http.RequestAborted) : null;
        if (blob is null)
        {
            headers.CacheControl = "no-store";
            return Results.NotFound();
        }
        var etag = $"\"{key}\"";
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Contains(etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(blob.Bytes, blob.ContentType);
    }
}
