using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserPoolClient(PortalDb db, Ids ids, UserPoolStore pools, AppClientSettings settings, TimeProvider clock)
    : IOperation<CreateUserPoolClientRequest, CreateUserPoolClientResponse>
{
    public async Task<CreateUserPoolClientResponse> Handle(CreateUserPoolClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (request.GenerateSecret == true && request.ClientSecret is not null)
            throw new InvalidParameterException("You cannot specify both GenerateSecret as true and provide a ClientSecret value.");
        var secret = request.ClientSecret ?? (request.GenerateSecret == true ? ids.NewClientSecret() : null);
        var checkedSettings = await settings.Check(pool, AppClientSettings.From(request), hasSecret: secret is not null, creating: true, ct);
        var now = clock.GetUtcNow();
        var row = new AppClientRow
        {
            ClientId = ids.NewClientId(),
            UserPoolId = pool.Row.Id,
            ClientName = request.ClientName!,
            ClientSecret = secret,
            CreatedAt = now,
            LastModifiedAt = now,
        };
        AppClientStore.Write(row, checkedSettings);
        db.AppClients.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateUserPoolClientResponse { UserPoolClient = AppClientStore.Describe(row) };
    }
}
