// IAM API records, named and shaped as AWS names them (Query protocol, see Portal.Server/Wire/QueryEndpoint).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

[Service("iam")]
public sealed record ListSAMLProvidersRequest : ICognitoRequest<ListSAMLProvidersResponse>
{
}

public sealed record ListSAMLProvidersResponse
{
    public List<SAMLProviderListEntry>? SAMLProviderList { get; init; }
}
