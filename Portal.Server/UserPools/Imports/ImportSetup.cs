using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Imports;

public static class ImportSetup
{
    /// <summary>Cognito's limit of a user import file.</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    public static IServiceCollection AddUserImports(this IServiceCollection services)
    {
        services.AddOptions<UserImportOptions>().BindConfiguration("Portal:UserImport");
        services.AddScoped<UserImportJobs>();
        services.AddSingleton<UserImportRunner>();
        services.AddHostedService(s => s.GetRequiredService<UserImportRunner>());
        return services;
    }

    /// <summary>
    /// <c>PUT /user-import/{token}</c>: a job's CSV file, as <c>curl -T users.csv "$PreSignedUrl"</c> uploads it to the
    /// presigned S3 URL Cognito gives. Like that URL it needs no signature (the 256-bit token is the permission) and answers
    /// S3's XML errors. It takes one file, while the job waits for it: the upload is a conditional update, so a second
    /// upload, or one after the start, is refused (403) whatever the timing.
    /// </summary>
    public static IEndpointRouteBuilder MapUserImportUpload(this IEndpointRouteBuilder app)
    {
        app.MapPut(UserImportJobs.UploadPath + "{token}", async (string token, PortalDb db, UserImportJobs imports, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        {
            if (token.Length > 64) return S3Error(404, "NoSuchKey", "The specified key does not exist.");
            var jobs = db.Set<UserImportJobRow>();
            if (!await jobs.AnyAsync(j => j.UploadToken == token, ct)) return S3Error(404, "NoSuchKey", "The specified key does not exist.");
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxFileBytes;
            if (http.Request.ContentLength > MaxFileBytes) return S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            string csv;
            try
            {
                using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
                csv = await reader.ReadToEndAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                return S3Error(400, "InvalidArgument", "The file is not UTF-8 text.");
            }
            catch (BadHttpRequestException)
            {
                return S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
            }
            if (!await imports.Store(token, csv, clock.GetUtcNow(), ct)) return S3Error(403, "AccessDenied", "The pre-signed URL was used already, or its job has started or expired.");
            return Results.Ok();
        }).AllowAnonymous().DisableAntiforgery().WithName("UserImportUpload");
        return app;
    }

    static IResult S3Error(int status, string code, string message) => Results.Content(
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{System.Security.SecurityElement.Escape(message)}</Message></Error>",
        "application/xml", Encoding.UTF8, status);
}
