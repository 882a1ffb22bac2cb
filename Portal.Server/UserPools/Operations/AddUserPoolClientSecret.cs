using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>A second secret for a confidential client, so apps can move to it while the first still works. The limit of
/// two is a conditional update (the second slot must be empty), so two concurrent calls cannot both add one.</summary>
sealed class AddUserPoolClientSecret(PortalDb db, UserPoolStore pools, AppClientStore clients, Ids ids, TimeProvider clock)
    : IOperation<AddUserPoolClientSecretRequest, AddUserPoolClientSecretResponse>
{
    public async Task<AddUserPoolClientSecretResponse> Handle(AddUserPoolClientSecretRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        if (client.Row.ClientSecret is null)
            throw new InvalidParameterException($"Client {client.Row.ClientId} has no secret: only a confidential client can have secrets added.");
        var existing = ClientSecrets.Of(client.Row);
        if (existing.Count >= ClientSecrets.Limit)
            throw SecretLimit();
        var value = request.ClientSecret ?? ids.NewClientSecret();
        if (existing.Any(s => s.Value == value))
            throw new InvalidParameterException("The client secret is already one of the client's secrets.");
        var now = clock.GetUtcNow();
        // Two secrets made in the same millisecond would share an id: the new one is then one millisecond later.
        if (existing.Any(s => s.Id == ClientSecrets.IdOf(client.Row.ClientId, now))) now = now.AddMilliseconds(1);
        var id = ClientSecrets.IdOf(client.Row.ClientId, now);
        var first = client.Row.ClientSecret;
        var updated = await db.AppClients
            .Where(c => c.ClientId == client.Row.ClientId && c.ClientSecret == first && c.SecondClientSecret == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.SecondClientSecret, value)
                .SetProperty(c => c.SecondClientSecretId, id)
                .SetProperty(c => c.SecondClientSecretCreatedAt, now)
                .SetProperty(c => c.LastModifiedAt, now), ct);
        if (updated == 0) throw SecretLimit();
        // Written in bulk: every instance forgets its cached copy of the client (the new secret works everywhere).
        db.ConfigChanged(Storage.ChangeNotifications.AppClient, client.Row.ClientId);
        return new AddUserPoolClientSecretResponse
        {
            ClientSecretDescriptor = new ClientSecretDescriptorType
            {
                ClientSecretId = id,
                // As Cognito: the value is returned only when it generated it.
                ClientSecretValue = request.ClientSecret is null ? value : null,
                ClientSecretCreateDate = now,
            },
        };
    }

    static LimitExceededException SecretLimit() =>
        new($"An app client can have at most {ClientSecrets.Limit} client secrets. Delete a secret before adding another.");
}
