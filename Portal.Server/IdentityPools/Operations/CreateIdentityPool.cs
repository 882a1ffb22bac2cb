using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools.Operations;

sealed class CreateIdentityPool(IdentityPoolStore pools, IdentityPoolRules rules, IdentityIds ids, PortalDb db, TimeProvider clock)
    : IOperation<CreateIdentityPoolRequest, CreateIdentityPoolResponse>
{
    public async Task<CreateIdentityPoolResponse> Handle(CreateIdentityPoolRequest request, CancellationToken ct)
    {
        var settings = rules.Settings(request.SupportedLoginProviders, request.CognitoIdentityProviders, request.OpenIdConnectProviderARNs, request.SamlProviderARNs);
        Tags.Check(request.IdentityPoolTags, Tags.IdentityPool);
        if (await pools.Pools.CountAsync(ct) >= IdentityPoolRules.MaxPools)
            throw new LimitExceededException($"The account has reached its limit of {IdentityPoolRules.MaxPools} identity pools.");
        var now = clock.GetUtcNow();
        var row = new IdentityPoolRow
        {
            Id = ids.NewIdentityPoolId(),
            Name = request.IdentityPoolName!,
            AllowUnauthenticated = request.AllowUnauthenticatedIdentities!.Value,
            AllowClassicFlow = request.AllowClassicFlow ?? false,
            DeveloperProviderName = request.DeveloperProviderName,
            Settings = IdentityPoolStore.Write(settings),
            Tags = IdentityPoolStore.Write(request.IdentityPoolTags ?? []),
            CreatedAt = now,
            LastModifiedAt = now,
        };
        pools.Pools.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (row.DeveloperProviderName is not null)
        {
            // The unique index decides between two pools claiming one name at once.
            throw IdentityPoolRules.DeveloperProviderTaken(row.DeveloperProviderName);
        }
        return IdentityPoolStore.Describe<CreateIdentityPoolResponse>(row);
    }
}
