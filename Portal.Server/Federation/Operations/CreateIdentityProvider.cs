using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

sealed class CreateIdentityProvider(PortalDb db, UserPoolStore pools, IdentityProviders providers, Saml.SamlSigningCertificates saml, TimeProvider clock)
    : IOperation<CreateIdentityProviderRequest, CreateIdentityProviderResponse>
{
    public async Task<CreateIdentityProviderResponse> Handle(CreateIdentityProviderRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var name = request.ProviderName!;
        IdentityProviderRules.CheckName(name, request.ProviderType!);
        var existing = await providers.List(pool.Row.Id, ct);
        if (existing.Any(p => p.ProviderName == name))
            throw new DuplicateProviderException($"A provider with the name {name} already exists in this user pool.");
        var mapping = IdentityProviderRules.Mapping(pool, request.ProviderType!, request.AttributeMapping);
        var identifiers = IdentityProviderRules.Identifiers(existing, request.IdpIdentifiers);
        var details = await providers.CheckDetails(request.ProviderType!, request.ProviderDetails ?? [], ct);
        await saml.AddActiveEncryptionCertificate(pool.Row.Id, request.ProviderType!, details, ct);
        var now = clock.GetUtcNow();
        var row = new IdentityProviderRow
        {
            UserPoolId = pool.Row.Id, ProviderName = name, ProviderType = request.ProviderType!,
            ProviderDetails = IdentityProviders.Json(details), AttributeMapping = IdentityProviders.Json(mapping),
            IdpIdentifiers = IdentityProviders.Json(identifiers), CreatedAt = now, LastModifiedAt = now,
        };
        db.IdentityProviders.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreateIdentityProviderResponse { IdentityProvider = IdentityProviders.ToType(row) };
    }
}
