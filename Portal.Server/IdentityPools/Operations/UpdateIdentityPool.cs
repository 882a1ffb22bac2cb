using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>Replaces the pool's settings with the request's (members left out become empty, as in Cognito); tags are
/// kept unless given. The developer provider name, once set, cannot change.</summary>
sealed class UpdateIdentityPool(IdentityPoolStore pools, IdentityPoolRules rules, PortalDb db, TimeProvider clock)
    : IOperation<UpdateIdentityPoolRequest, UpdateIdentityPoolResponse>
{
    public async Task<UpdateIdentityPoolResponse> Handle(UpdateIdentityPoolRequest request, CancellationToken ct)
    {
        var row = await pools.Get(request.IdentityPoolId, ct);
        var settings = rules.Settings(request.SupportedLoginProviders, request.CognitoIdentityProviders, request.OpenIdConnectProviderARNs, request.SamlProviderARNs);
        if (row.DeveloperProviderName is not null && request.DeveloperProviderName is not null && request.DeveloperProviderName != row.DeveloperProviderName)
            throw new InvalidParameterException("Developer provider name cannot be changed once it is set.");
        if (request.IdentityPoolTags is not null)
        {
            Tags.Check(request.IdentityPoolTags, Tags.IdentityPool);
            row.Tags = IdentityPoolStore.Write(request.IdentityPoolTags);
        }
        row.Name = request.IdentityPoolName!;
        row.AllowUnauthenticated = request.AllowUnauthenticatedIdentities!.Value;
        row.AllowClassicFlow = request.AllowClassicFlow ?? false;
        row.DeveloperProviderName ??= request.DeveloperProviderName;
        row.Settings = IdentityPoolStore.Write(settings);
        row.LastModifiedAt = clock.GetUtcNow();
        row.Version++;
        await pools.Changed(row.Id, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrentModificationException("The identity pool was changed at the same time; try again.");
        }
        catch (DbUpdateException) when (row.DeveloperProviderName is not null)
        {
            throw IdentityPoolRules.DeveloperProviderTaken(row.DeveloperProviderName);
        }
        return IdentityPoolStore.Describe<UpdateIdentityPoolResponse>(row);
    }
}
