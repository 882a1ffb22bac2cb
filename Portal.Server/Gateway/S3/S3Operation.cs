namespace Portal.Server.Gateway.S3;

/// <summary>One authorization an S3 request needs: an action on a resource, with the action's own context keys.</summary>
public sealed record S3Check(string Action, string Resource, IReadOnlyDictionary<string, string>? Keys = null);

/// <summary>An S3 request read from its method, bucket, key and query: the operation's name (for the log) and the checks
/// it needs (CopyObject needs PutObject on the target and GetObject on the source).</summary>
public sealed record S3Operation(string Name, string Bucket, string? Key, IReadOnlyList<S3Check> Checks)
{
    public static string BucketArn(string bucket) => "arn:aws:s3:::" + bucket;
    public static string ObjectArn(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    /// <summary>The operation of a request. <paramref name="query"/> is the decoded query; <paramref name="copySource"/> the
    /// decoded x-amz-copy-source header.</summary>
    public static S3Operation Of(string method, string bucket, string? key, IReadOnlyList<KeyValuePair<string, string>> query, string? copySource)
    {
        bool Has(string name) => query.Any(q => q.Key == name);
        string? Value(string name) => query.FirstOrDefault(q => q.Key == name).Value;
        method = method.ToUpperInvariant();
        if (bucket.Length == 0)
            return new("ListBuckets", "", null, [new("s3:ListAllMyBuckets", "arn:aws:s3:::*")]);

        var bucketArn = BucketArn(bucket);
        if (string.IsNullOrEmpty(key))
        {
            S3Operation B(string name, string action, Dictionary<string, string>? keys = null) => new(name, bucket, null, [new(action, bucketArn, keys)]);
            switch (method)
            {
                case "HEAD":
                    return B("HeadBucket", "s3:ListBucket");
                case "GET":
                    if (Has("uploads")) return B("ListMultipartUploads", "s3:ListBucketMultipartUploads", ListKeys(query));
                    if (Has("versions")) return B("ListObjectVersions", "s3:ListBucketVersions", ListKeys(query));
                    if (Has("location")) return B("GetBucketLocation", "s3:GetBucketLocation");
                    if (Has("acl")) return B("GetBucketAcl", "s3:GetBucketAcl");
                    if (Has("policy")) return B("GetBucketPolicy", "s3:GetBucketPolicy");
                    if (Has("cors")) return B("GetBucketCors", "s3:GetBucketCORS");
                    if (Has("versioning")) return B("GetBucketVersioning", "s3:GetBucketVersioning");
                    if (Has("tagging")) return B("GetBucketTagging", "s3:GetBucketTagging");
                    if (Has("lifecycle")) return B("GetBucketLifecycle", "s3:GetLifecycleConfiguration");
                    if (Has("website")) return B("GetBucketWebsite", "s3:GetBucketWebsite");
                    if (Has("notification")) return B("GetBucketNotification", "s3:GetBucketNotification");
                    if (Has("encryption")) return B("GetBucketEncryption", "s3:GetEncryptionConfiguration");
                    if (Has("object-lock")) return B("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration");
                    if (Has("ownershipControls")) return B("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls");
                    if (Has("publicAccessBlock")) return B("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock");
                    if (Has("requestPayment")) return B("GetBucketRequestPayment", "s3:GetBucketRequestPayment");
                    if (Has("logging")) return B("GetBucketLogging", "s3:GetBucketLogging");
                    if (Has("accelerate")) return B("GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration");
                    return B(Value("list-type") == "2" ? "ListObjectsV2" : "ListObjects", "s3:ListBucket", ListKeys(query));
                case "PUT":
                    if (Has("acl")) return B("PutBucketAcl", "s3:PutBucketAcl");
                    if (Has("policy")) return B("PutBucketPolicy", "s3:PutBucketPolicy");
                    if (Has("cors")) return B("PutBucketCors", "s3:PutBucketCORS");
                    if (Has("versioning")) return B("PutBucketVersioning", "s3:PutBucketVersioning");
                    if (Has("tagging")) return B("PutBucketTagging", "s3:PutBucketTagging");
                    if (Has("lifecycle")) return B("PutBucketLifecycle", "s3:PutLifecycleConfiguration");
                    if (Has("website")) return B("PutBucketWebsite", "s3:PutBucketWebsite");
                    if (Has("notification")) return B("PutBucketNotification", "s3:PutBucketNotification");
                    if (Has("encryption")) return B("PutBucketEncryption", "s3:PutEncryptionConfiguration");
                    if (Query(query).Length > 0) return B("PutBucketConfiguration", "s3:PutBucketConfiguration");
                    return B("CreateBucket", "s3:CreateBucket");
                case "DELETE":
                    if (Has("policy")) return B("DeleteBucketPolicy", "s3:DeleteBucketPolicy");
                    if (Has("cors")) return B("DeleteBucketCors", "s3:PutBucketCORS");
                    if (Has("tagging")) return B("DeleteBucketTagging", "s3:PutBucketTagging");
                    if (Has("lifecycle")) return B("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration");
                    if (Has("website")) return B("DeleteBucketWebsite", "s3:DeleteBucketWebsite");
                    if (Query(query).Length > 0) return B("DeleteBucketConfiguration", "s3:PutBucketConfiguration");
                    return B("DeleteBucket", "s3:DeleteBucket");
                case "POST":
                    // DeleteObjects: its checks (s3:DeleteObject per key) are made from the body.
                    if (Has("delete")) return new("DeleteObjects", bucket, null, []);
                    break;
            }
            throw new S3Exception("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
        }

        var objectArn = ObjectArn(bucket, key);
        S3Operation O(string name, string action) => new(name, bucket, key, [new(action, objectArn)]);
        switch (method)
        {
            case "HEAD":
                return O("HeadObject", Has("versionId") ? "s3:GetObjectVersion" : "s3:GetObject");
            case "GET":
                if (Has("uploadId")) return O("ListParts", "s3:ListMultipartUploadParts");
                if (Has("acl")) return O("GetObjectAcl", Has("versionId") ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl");
                if (Has("tagging")) return O("GetObjectTagging", Has("versionId") ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging");
                if (Has("attributes")) return O("GetObjectAttributes", "s3:GetObjectAttributes");
                if (Has("retention")) return O("GetObjectRetention", "s3:GetObjectRetention");
                if (Has("legal-hold")) return O("GetObjectLegalHold", "s3:GetObjectLegalHold");
                if (Has("torrent")) return O("GetObjectTorrent", "s3:GetObjectTorrent");
                return O("GetObject", Has("versionId") ? "s3:GetObjectVersion" : "s3:GetObject");
            case "PUT":
                if (Has("acl")) return O("PutObjectAcl", "s3:PutObjectAcl");
                if (Has("tagging")) return O("PutObjectTagging", "s3:PutObjectTagging");
                if (Has("retention")) return O("PutObjectRetention", "s3:PutObjectRetention");
                if (Has("legal-hold")) return O("PutObjectLegalHold", "s3:PutObjectLegalHold");
                if (!string.IsNullOrEmpty(copySource))
                {
                    var source = copySource.TrimStart('/');
                    var q = source.IndexOf('?', StringComparison.Ordinal);
                    var versioned = q >= 0 && source[q..].Contains("versionId=", StringComparison.Ordinal);
                    if (q >= 0) source = source[..q];
                    var slash = source.IndexOf('/', StringComparison.Ordinal);
                    if (slash <= 0 || slash == source.Length - 1) throw S3Exception.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
                    var getSource = new S3Check(versioned ? "s3:GetObjectVersion" : "s3:GetObject", ObjectArn(source[..slash], source[(slash + 1)..]));
                    return Has("uploadId")
                        ? new("UploadPartCopy", bucket, key, [new("s3:PutObject", objectArn), getSource])
                        : new("CopyObject", bucket, key, [new("s3:PutObject", objectArn), getSource]);
                }
                return O(Has("uploadId") ? "UploadPart" : "PutObject", "s3:PutObject");
            case "POST":
                if (Has("uploads")) return O("CreateMultipartUpload", "s3:PutObject");
                if (Has("uploadId")) return O("CompleteMultipartUpload", "s3:PutObject");
                if (Has("restore")) return O("RestoreObject", "s3:RestoreObject");
                if (Has("select")) return O("SelectObjectContent", "s3:GetObject");
                break;
            case "DELETE":
                if (Has("uploadId")) return O("AbortMultipartUpload", "s3:AbortMultipartUpload");
                if (Has("tagging")) return O("DeleteObjectTagging", Has("versionId") ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging");
                return O("DeleteObject", Has("versionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject");
        }
        throw new S3Exception("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
    }

    static string Query(IReadOnlyList<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Where(q => !q.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase) && q.Key != "x-id").Select(q => q.Key));

    /// <summary>The condition keys of a listing: s3:prefix, s3:delimiter and s3:max-keys, when the request gives them.</summary>
    static Dictionary<string, string> ListKeys(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key) in new[] { ("prefix", "s3:prefix"), ("delimiter", "s3:delimiter"), ("max-keys", "s3:max-keys") })
            if (query.FirstOrDefault(q => q.Key == name) is { Key: not null } found) keys[key] = found.Value;
        return keys;
    }
}
