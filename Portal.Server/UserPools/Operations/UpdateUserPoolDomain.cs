using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Changes the managed login version (and a custom domain's certificate); the name never changes.</summary>
sealed class UpdateUserPoolDomain(PortalDb db, UserPoolStore pools, Auth.Issuer issuer, TimeProvider clock)
    : IOperation<UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse>
{
    public async Task<UpdateUserPoolDomainResponse> Handle(UpdateUserPoolDomainRequest request, CancellationToken ct)
    {
        // Cognito does not say which of the two is missing.
        var pool = await pools.Find(request.UserPoolId, ct) ?? throw InvalidParameterException.NoSuchDomain();
        var row = await db.Domains.FirstOrDefaultAsync(d => d.Domain == request.Domain && d.UserPoolId == pool.Row.Id, ct)
                  ?? throw InvalidParameterException.NoSuchDomain();
        var current = UserPoolDomains.Read(row);
        if (current.CustomDomainConfig is null && request.CustomDomainConfig is not null)
            throw new InvalidParameterException($"Domain {row.Domain} is a prefix domain: it takes no CustomDomainConfig.");
        var version = UserPoolDomains.CheckManagedLoginVersion(pool.Settings, request.ManagedLoginVersion ?? current.ManagedLoginVersion);
        UserPoolDomains.Write(row, request.CustomDomainConfig ?? current.CustomDomainConfig, version, clock.GetUtcNow());

        await db.SaveChangesAsync(ct);
        var custom = request.CustomDomainConfig ?? current.CustomDomainConfig;
        return new UpdateUserPoolDomainResponse
        {
            ManagedLoginVersion = version, CloudFrontDomain = custom is not null ? UserPoolDomains.Distribution(issuer.BaseUrl) : null,
        };
    }
}
