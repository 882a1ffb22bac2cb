// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record CreateSAMLProviderRequest : ICognitoRequest<CreateSAMLProviderResponse>
{
    [Required]
    [StringLength(10000000, MinimumLength = 1000)]
    public string? SAMLMetadataDocument { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\w._-]+")]
    public string? Name { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}

public sealed record CreateSAMLProviderResponse
{
    [StringLength(2048, MinimumLength = 20)]
    public string? SAMLProviderArn { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}
