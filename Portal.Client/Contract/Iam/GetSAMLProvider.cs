// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record GetSAMLProviderRequest : ICognitoRequest<GetSAMLProviderResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? SAMLProviderArn { get; init; }
}

public sealed record GetSAMLProviderResponse
{
    [StringLength(10000000, MinimumLength = 1000)]
    public string? SAMLMetadataDocument { get; init; }
    public DateTimeOffset? CreateDate { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}
