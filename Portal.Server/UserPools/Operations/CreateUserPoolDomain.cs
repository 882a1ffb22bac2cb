using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class CreateUserPoolDomain(PortalDb db, UserPoolStore pools, TimeProvider clock)
    : IOperation<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>
{
    public async Task<CreateUserPoolDomainResponse> Handle(CreateUserPoolDomainRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var domain = request.Domain!;
        if (request.CustomDomainConfig is null && !System.Text.RegularExpressions.Regex.IsMatch(domain, "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"))
            throw new InvalidParameterException($"Domain {domain} is not valid: use lowercase letters, numbers and hyphens, not starting or ending with a hyphen.");
        if (await db.Domains.AnyAsync(d => d.Domain == domain, ct))
            throw new InvalidParameterException("Domain already exists.");
        if (await db.Domains.AnyAsync(d => d.UserPoolId == pool.Row.Id, ct))
            throw new InvalidParameterException($"User pool {pool.Row.Id} already has a domain configured.");
        db.Domains.Add(new UserPoolDomainRow
        {
            Domain = domain,
            UserPoolId = pool.Row.Id,
            CreatedAt = clock.GetUtcNow(),
            Settings = System.Text.Json.JsonSerializer.Serialize(new DomainDescriptionType
            {
                CustomDomainConfig = request.CustomDomainConfig,
                Version = request.ManagedLoginVersion?.ToString() ?? "1",
            }, CognitoJson.Options),
        });
        await db.SaveChangesAsync(ct);
        return new CreateUserPoolDomainResponse { ManagedLoginVersion = request.ManagedLoginVersion ?? 1 };
    }
}
