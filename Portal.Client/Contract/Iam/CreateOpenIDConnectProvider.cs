// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record CreateOpenIDConnectProviderRequest : ICognitoRequest<CreateOpenIDConnectProviderResponse>
{
    [Required]
    [StringLength(255, MinimumLength = 1)]
    public string? Url { get; init; }
    public List<string>? ClientIDList { get; init; }
    /// <summary>Optional since IAM trusts the issuer's certificate authority (the current model requires only Url).</summary>
    public List<string>? ThumbprintList { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}

public sealed record CreateOpenIDConnectProviderResponse
{
    [StringLength(2048, MinimumLength = 20)]
    public string? OpenIDConnectProviderArn { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
}
