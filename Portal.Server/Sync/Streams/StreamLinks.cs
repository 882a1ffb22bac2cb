using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sync.Streams;

/// <summary>
/// <c>GET /sync/streams/records/{token}</c>: the records (the kinesisSyncRecords JSON array) of a change that was too large
/// for one Kinesis record, linked from its stream record (payloadType S3Url). Like a presigned S3 URL it needs no signature:
/// the 256-bit token is the permission, and it answers only until it expires (403 afterwards, 404 for a token never issued).
/// </summary>
public static class StreamLinks
{
    public static IEndpointRouteBuilder MapStreamLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet(StreamOutbox.LinkPath + "{token}", async (string token, PortalDb db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (token.Length > 64) return Results.NotFound();
            var link = await db.Set<SyncStreamLinkRow>().AsNoTracking().Where(l => l.Token == token)
                .Select(l => new { l.Records, l.ExpiresAt }).FirstOrDefaultAsync(ct);
            if (link is null) return Results.Json(new { __type = "NoSuchKey", message = "The specified key does not exist." }, statusCode: 404);
            if (link.ExpiresAt <= clock.GetUtcNow())
                return Results.Json(new { __type = "AccessDenied", message = "Request has expired" }, statusCode: 403);
            return Results.Text(link.Records, "application/json");
        }).AllowAnonymous().WithName("CognitoStreamsLargeRecords");
        return app;
    }
}
