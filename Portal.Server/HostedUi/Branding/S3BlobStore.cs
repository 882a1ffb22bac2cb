using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Server.Outbound;

namespace Portal.Server.Branding;

/// <summary>Blobs as objects of one S3 (or S3-compatible) bucket, so every instance serves the same assets.</summary>
public sealed class S3BlobStore(IAmazonS3 s3, S3AssetOptions options) : IBlobStore, IDisposable
{
    public static S3BlobStore Create(S3AssetOptions options, OutboundAddresses outbound)
    {
        if (string.IsNullOrWhiteSpace(options.Bucket))
            throw new InvalidOperationException("Portal:Assets:S3:Bucket is required when Portal:Assets:Provider is S3.");
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            // Checksums only where S3 requires them: S3-compatible servers do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            HttpClientFactory = new GuardedHttpClients(outbound),
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl)) config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        else config.ServiceURL = options.ServiceUrl;
        var client = string.IsNullOrEmpty(options.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey), config);
        return new S3BlobStore(client, options);
    }

    public async Task Put(string key, byte[] bytes, string contentType, CancellationToken ct = default)
    {
        using var body = new MemoryStream(bytes, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Bucket,
            Key = ObjectKey(key),
            InputStream = body,
            ContentType = contentType,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, ct);
    }

    public async Task<Blob?> Get(string key, CancellationToken ct = default)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = ObjectKey(key) }, ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct);
            return new Blob(buffer.ToArray(), response.Headers.ContentType ?? "application/octet-stream");
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task Delete(string key, CancellationToken ct = default) =>
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = ObjectKey(key) }, ct);

    string ObjectKey(string key) => (options.Prefix ?? "") + BlobKeys.Check(key);

    public void Dispose() => s3.Dispose();
}

/// <summary>The S3 client's connections go through the outbound guard like every other configured URL.</summary>
sealed class GuardedHttpClients(OutboundAddresses outbound) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(outbound.Handler());
}
