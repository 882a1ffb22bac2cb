using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserPoolClient(PortalDb db, Ids ids, UserPoolStore pools, TimeProvider clock)
    : IOperation<CreateUserPoolClientRequest, CreateUserPoolClientResponse>
{
    public async Task<CreateUserPoolClientResponse> Handle(CreateUserPoolClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var now = clock.GetUtcNow();
        var row = new AppClientRow
        {
            ClientId = ids.NewClientId(),
            UserPoolId = pool.Row.Id,
            ClientName = request.ClientName!,
            ClientSecret = request.ClientSecret ?? (request.GenerateSecret == true ? ids.NewClientSecret() : null),
            CreatedAt = now,
            LastModifiedAt = now,
        };
        AppClientStore.Write(row, AppClientSettings.From(request));
        db.AppClients.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateUserPoolClientResponse { UserPoolClient = AppClientStore.Describe(row) };
    }
}
