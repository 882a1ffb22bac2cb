using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Retires one of a client's two secrets; the last one stays (a confidential client always has a secret).
/// Conditional updates on the secrets as read, so a concurrent delete of the other one cannot leave the client without.</summary>
sealed class DeleteUserPoolClientSecret(PortalDb db, UserPoolStore pools, AppClientStore clients, TimeProvider clock)
    : IOperation<DeleteUserPoolClientSecretRequest, DeleteUserPoolClientSecretResponse>
{
    public async Task<DeleteUserPoolClientSecretResponse> Handle(DeleteUserPoolClientSecretRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var secrets = ClientSecrets.Of(client.Row);
        var index = secrets.ToList().FindIndex(s => s.Id == request.ClientSecretId);
        if (index < 0)
            throw new ResourceNotFoundException($"Client secret {request.ClientSecretId} does not exist.");
        if (secrets.Count == 1)
            throw new InvalidParameterException("You cannot delete the last remaining secret for an app client.");
        var (first, second, now) = (secrets[0], secrets[1], clock.GetUtcNow());
        var query = db.AppClients.Where(c => c.ClientId == client.Row.ClientId && c.ClientSecret == first.Value && c.SecondClientSecret == second.Value);
        // Deleting the first moves the second into its place: it becomes the secret DescribeUserPoolClient shows.
        var updated = index == 0
            ? await query.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ClientSecret, second.Value)
                .SetProperty(c => c.ClientSecretId, second.Id)
                .SetProperty(c => c.ClientSecretCreatedAt, second.CreatedAt)
                .SetProperty(c => c.SecondClientSecret, (string?)null)
                .SetProperty(c => c.SecondClientSecretId, (string?)null)
                .SetProperty(c => c.SecondClientSecretCreatedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.LastModifiedAt, now), ct)
            : await query.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.SecondClientSecret, (string?)null)
                .SetProperty(c => c.SecondClientSecretId, (string?)null)
                .SetProperty(c => c.SecondClientSecretCreatedAt, (DateTimeOffset?)null)
                .SetProperty(c => c.LastModifiedAt, now), ct);
        if (updated == 0) throw new ConcurrentModificationException("The client's secrets were changed by another request at the same time. Try again.");
        // Written in bulk: every instance forgets its cached copy of the client (the removed secret stops working).
        db.ConfigChanged(Storage.ChangeNotifications.AppClient, client.Row.ClientId);
        return new DeleteUserPoolClientSecretResponse();
    }
}
