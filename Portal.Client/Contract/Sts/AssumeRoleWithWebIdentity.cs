// STS API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sts;

/// <summary>Unsigned, as AWS serves it: the web identity token is the credential.</summary>
[Service("sts")]
[Unsigned]
public sealed record AssumeRoleWithWebIdentityRequest : ICognitoRequest<AssumeRoleWithWebIdentityResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]+")]
    public string? RoleArn { get; init; }
    [Required]
    [StringLength(64, MinimumLength = 2)]
    [RegularExpression(@"[\w+=,.@-]*")]
    public string? RoleSessionName { get; init; }
    [Required]
    [StringLength(20000, MinimumLength = 4)]
    public string? WebIdentityToken { get; init; }
    [StringLength(2048, MinimumLength = 4)]
    public string? ProviderId { get; init; }
    public List<PolicyDescriptorType>? PolicyArns { get; init; }
    [StringLength(2048, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? Policy { get; init; }
    [Range(900, 43200)]
    public int? DurationSeconds { get; init; }
}

public sealed record AssumeRoleWithWebIdentityResponse
{
    public Credentials? Credentials { get; init; }
    [StringLength(255, MinimumLength = 6)]
    public string? SubjectFromWebIdentityToken { get; init; }
    public AssumedRoleUser? AssumedRoleUser { get; init; }
    [Range(0, int.MaxValue)]
    public int? PackedPolicySize { get; init; }
    public string? Provider { get; init; }
    public string? Audience { get; init; }
    [StringLength(64, MinimumLength = 2)]
    [RegularExpression(@"[\w+=,.@-]*")]
    public string? SourceIdentity { get; init; }
}
