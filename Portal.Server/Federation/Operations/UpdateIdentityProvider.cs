using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class UpdateIdentityProvider(PortalDb db, UserPoolStore pools, IdentityProviders providers, Saml.SamlSigningCertificates saml, TimeProvider clock)
    : IOperation<UpdateIdentityProviderRequest, UpdateIdentityProviderResponse>
{
    public async Task<UpdateIdentityProviderResponse> Handle(UpdateIdentityProviderRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await providers.Get(pool.Row.Id, request.ProviderName, ct);
        // Members left out keep their values; ProviderDetails given are merged over the stored ones and checked again.
        if (request.ProviderDetails is not null)
        {
            var details = IdentityProviders.ProviderDetails(row);
            foreach (var (k, v) in request.ProviderDetails) details[k] = v;
            var checkedDetails = await providers.CheckDetails(row.ProviderType, details, ct);
            await saml.AddActiveEncryptionCertificate(pool.Row.Id, row.ProviderType, checkedDetails, ct);
            row.ProviderDetails = IdentityProviders.Json(checkedDetails);
        }
        if (request.AttributeMapping is not null)
            row.AttributeMapping = IdentityProviders.Json(IdentityProviderRules.Mapping(pool, row.ProviderType, request.AttributeMapping));
        if (request.IdpIdentifiers is not null)
        {
            var others = (await providers.List(pool.Row.Id, ct)).Where(p => p.ProviderName != row.ProviderName);
            row.IdpIdentifiers = IdentityProviders.Json(IdentityProviderRules.Identifiers(others, request.IdpIdentifiers));
        }
        row.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new() { IdentityProvider = IdentityProviders.ToType(row) };
    }
}
