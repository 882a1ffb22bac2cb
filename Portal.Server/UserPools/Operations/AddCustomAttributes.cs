using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.UserPools.Operations;

/// <summary>Adds custom: (or legacy dev:) attributes to the schema; existing names and more than 50 custom attributes are refused.</summary>
sealed class AddCustomAttributes(UserPoolStore pools, TimeProvider clock) : IOperation<AddCustomAttributesRequest, AddCustomAttributesResponse>
{
    public async Task<AddCustomAttributesResponse> Handle(AddCustomAttributesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var schema = Schema.Add(pool.Settings.SchemaAttributes ?? Schema.Standard, request.CustomAttributes!);
        UserPoolStore.Write(pool.Row, pool.Settings with { SchemaAttributes = schema });
        pool.Row.LastModifiedAt = clock.GetUtcNow();
        await pools.Save(ct);
        return new AddCustomAttributesResponse();
    }
}
