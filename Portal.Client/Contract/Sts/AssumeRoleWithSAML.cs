// STS API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Sts;

/// <summary>Unsigned, as AWS serves it: the SAML assertion, signed by the IdP, is the credential.</summary>
[Service("sts")]
[Unsigned]
public sealed record AssumeRoleWithSAMLRequest : ICognitoRequest<AssumeRoleWithSAMLResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? RoleArn { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? PrincipalArn { get; init; }
    [Required]
    [StringLength(100000, MinimumLength = 4)]
    public string? SAMLAssertion { get; init; }
    public List<PolicyDescriptorType>? PolicyArns { get; init; }
    [StringLength(2048, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? Policy { get; init; }
    [Range(900, 43200)]
    public int? DurationSeconds { get; init; }
}

public sealed record AssumeRoleWithSAMLResponse
{
    public Credentials? Credentials { get; init; }
    public AssumedRoleUser? AssumedRoleUser { get; init; }
    [Range(0, int.MaxValue)]
    public int? PackedPolicySize { get; init; }
    public string? Subject { get; init; }
    public string? SubjectType { get; init; }
    public string? Issuer { get; init; }
    public string? Audience { get; init; }
    public string? NameQualifier { get; init; }
    public string? SourceIdentity { get; init; }
}
