// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record GetOpenIDConnectProviderRequest : ICognitoRequest<GetOpenIDConnectProviderResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? OpenIDConnectProviderArn { get; init; }
}

public sealed record GetOpenIDConnectProviderResponse
{
    [StringLength(255, MinimumLength = 1)]
    public string? Url { get; init; }
    public List<string>? ClientIDList { get; init; }
    public List<string>? ThumbprintList { get; init; }
    public DateTimeOffset? CreateDate { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}
