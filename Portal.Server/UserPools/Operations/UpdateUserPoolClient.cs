using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Replaces the client's settings: members the request leaves out return to their defaults, as Cognito
/// documents. The name stays when not given; the secret never changes here.</summary>
sealed class UpdateUserPoolClient(PortalDb db, UserPoolStore pools, AppClientStore clients, AppClientSettings settings, TimeProvider clock)
    : IOperation<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>
{
    public async Task<UpdateUserPoolClientResponse> Handle(UpdateUserPoolClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var checkedSettings = await settings.Check(pool, AppClientSettings.From(request), hasSecret: client.Row.ClientSecret is not null, creating: false, ct);
        if (request.ClientName is not null) client.Row.ClientName = request.ClientName;
        client.Row.LastModifiedAt = clock.GetUtcNow();
        AppClientStore.Write(client.Row, checkedSettings);
        await db.SaveChangesAsync(ct);
        return new UpdateUserPoolClientResponse { UserPoolClient = AppClientStore.Describe(client.Row) };
    }
}
