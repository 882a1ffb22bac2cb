using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

/// <summary>The client's secrets (at most two, so one page) without their values, as Cognito never reveals them here.</summary>
sealed class ListUserPoolClientSecrets(UserPoolStore pools, AppClientStore clients)
    : IOperation<ListUserPoolClientSecretsRequest, ListUserPoolClientSecretsResponse>
{
    public async Task<ListUserPoolClientSecretsResponse> Handle(ListUserPoolClientSecretsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        if (request.NextToken is not null) throw InvalidParameterException.PaginationToken();
        return new ListUserPoolClientSecretsResponse
        {
            ClientSecrets = ClientSecrets.Of(client.Row)
                .Select(s => new ClientSecretDescriptorType { ClientSecretId = s.Id, ClientSecretCreateDate = s.CreatedAt })
                .ToList(),
        };
    }
}
