// STS API shapes, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sts;

public sealed record AssumedRoleUser
{
    [Required]
    [StringLength(193, MinimumLength = 2)]
    [RegularExpression(@"[\w+=,.@:-]*")]
    public string? AssumedRoleId { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]+")]
    public string? Arn { get; init; }
}

public sealed record Credentials
{
    [Required]
    [StringLength(128, MinimumLength = 16)]
    [RegularExpression(@"[\w]*")]
    public string? AccessKeyId { get; init; }
    [Required]
    public string? SecretAccessKey { get; init; }
    [Required]
    public string? SessionToken { get; init; }
    [Required]
    public DateTimeOffset? Expiration { get; init; }
}

public sealed record PolicyDescriptorType
{
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]+")]
    public string? arn { get; init; }
}
