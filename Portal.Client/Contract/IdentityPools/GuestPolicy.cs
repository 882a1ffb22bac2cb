namespace Portal.Client.Contract.IdentityPools;

/// <summary>The scope-down session policy Cognito applies to guests' credentials in the enhanced flow: whatever the
/// unauthenticated role allows, only within these services ("IAM roles" in the Cognito developer guide). One list for
/// the server, which applies it, and the portal's policy simulator, which evaluates with it.</summary>
public static class GuestPolicy
{
    public static readonly IReadOnlyList<string> Services =
    [
        "appsync", "cloudwatch", "cognito-identity", "cognito-sync", "comprehend", "dynamodb", "firehose", "geo", "iot",
        "kinesis", "kms", "lambda", "lex", "logs", "machinelearning", "mobileanalytics", "mobiletargeting", "polly",
        "rekognition", "s3", "sagemaker", "sdb", "ses", "sns", "sqs", "textract", "transcribe", "translate",
    ];

    public static readonly string ScopeDown = $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{string.Join(",", Services.Select(s => $"\"{s}:*\""))}}],"Resource":"*"}]}
        """;
}
