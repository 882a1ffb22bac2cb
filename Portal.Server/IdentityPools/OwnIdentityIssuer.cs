using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Portal.Server.Storage;
using Portal.Server.Sts;

namespace Portal.Server.IdentityPools;

/// <summary>Portal's identity issuer as STS sees it: the identity tokens' published keys read in process (no HTTP round trip
/// to itself, which the outbound SSRF rules would refuse in production) and each pool's AllowClassicFlow for the basic
/// flow. A singleton (STS's WebIdentity is one): each call reads in a scope of its own.</summary>
public sealed class OwnIdentityIssuer(IServiceScopeFactory scopes) : IIdentityIssuer
{
    public async Task<IReadOnlyCollection<SecurityKey>> SigningKeys(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var published = await scope.ServiceProvider.GetRequiredService<IdentityTokens>().Published(ct);
        return [.. published.Select(k => (SecurityKey)new RsaSecurityKey(k.Parameters) { KeyId = k.Kid })];
    }

    public async Task<bool?> AllowsClassicFlow(string identityPoolId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().Set<IdentityPoolRow>().AsNoTracking()
            .Where(p => p.Id == identityPoolId).Select(p => (bool?)p.AllowClassicFlow).FirstOrDefaultAsync(ct);
    }
}
