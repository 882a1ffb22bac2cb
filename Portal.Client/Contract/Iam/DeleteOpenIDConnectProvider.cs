// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record DeleteOpenIDConnectProviderRequest : ICognitoRequest<DeleteOpenIDConnectProviderResponse>
{
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? OpenIDConnectProviderArn { get; init; }
}

public sealed record DeleteOpenIDConnectProviderResponse
{
}
