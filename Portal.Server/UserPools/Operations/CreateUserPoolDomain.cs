using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>A pool has at most one prefix domain and one custom domain (with CustomDomainConfig); a domain name
/// belongs to one pool only.</summary>
sealed class CreateUserPoolDomain(PortalDb db, UserPoolStore pools, Auth.Issuer issuer, TimeProvider clock, HostedUi.CustomDomainHosts hosts)
    : IOperation<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>
{
    public async Task<CreateUserPoolDomainResponse> Handle(CreateUserPoolDomainRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var domain = request.Domain!;
        var custom = request.CustomDomainConfig is not null;
        if (!custom) UserPoolDomains.CheckPrefix(domain);
        var version = UserPoolDomains.CheckManagedLoginVersion(pool.Settings, request.ManagedLoginVersion);
        var existing = await db.Domains.AsNoTracking().Where(d => d.UserPoolId == pool.Row.Id).ToListAsync(ct);
        if (existing.Any(d => UserPoolDomains.IsCustom(d) == custom))
            throw new InvalidParameterException(custom ? "User pool already has a custom domain configured." : "User pool already has a domain configured.");
        if (await db.Domains.AnyAsync(d => d.Domain == domain, ct))
            throw new InvalidParameterException("Domain already associated with another user pool.", "domain");
        var now = clock.GetUtcNow();
        var row = new UserPoolDomainRow { Domain = domain, UserPoolId = pool.Row.Id, CreatedAt = now };
        UserPoolDomains.Write(row, request.CustomDomainConfig, version, now);
        db.Domains.Add(row);
        await db.SaveChangesAsync(ct);
        await hosts.AfterCommit(db, ct);
        // A custom domain's answer names where its alias record points, as Cognito names its CloudFront distribution.
        return new CreateUserPoolDomainResponse
        {
            ManagedLoginVersion = version, CloudFrontDomain = custom ? UserPoolDomains.Distribution(issuer.BaseUrl) : null,
        };
    }
}
