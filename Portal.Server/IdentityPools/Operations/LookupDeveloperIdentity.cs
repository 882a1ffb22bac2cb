using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>The identity of a developer user identifier, or the developer user identifiers of an identity (paged).</summary>
sealed class LookupDeveloperIdentity(IdentityPoolStore pools, Identities identities)
    : IOperation<LookupDeveloperIdentityRequest, LookupDeveloperIdentityResponse>
{
    public async Task<LookupDeveloperIdentityResponse> Handle(LookupDeveloperIdentityRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        if (request.IdentityId is null && request.DeveloperUserIdentifier is null)
            throw new InvalidParameterException("Either IdentityId or DeveloperUserIdentifier must be given.");
        var developer = pool.DeveloperProviderName ?? throw new ResourceNotFoundException("The identity pool has no developer provider name.");
        var identityId = request.IdentityId;
        if (request.DeveloperUserIdentifier is { } user)
        {
            var owner = await identities.LoginRows.AsNoTracking()
                .Where(l => l.IdentityPoolId == pool.Id && l.Provider == developer && l.LoginId == user).Select(l => l.IdentityId).FirstOrDefaultAsync(ct)
                ?? throw new ResourceNotFoundException($"Developer user identifier '{user}' not found.");
            if (identityId is not null && identityId != owner)
                throw new ResourceConflictException($"Developer user identifier '{user}' belongs to another identity.");
            identityId = owner;
        }
        var identity = await identities.Get(identityId, ct);
        if (identity.IdentityPoolId != pool.Id) throw Identities.NotFound(identityId);

        var scope = $"LookupDeveloperIdentity|{identity.Id}";
        var after = PaginationToken.Read(request.NextToken, scope, 1)?[0];
        var query = identities.LoginRows.AsNoTracking().Where(l => l.IdentityId == identity.Id && l.Provider == developer);
        if (after is not null) query = query.Where(l => l.LoginId.CompareTo(after) > 0);
        var max = request.MaxResults ?? 60;
        var page = await query.OrderBy(l => l.LoginId).Select(l => l.LoginId).Take(max + 1).ToListAsync(ct);
        var more = page.Count > max;
        if (more) page.RemoveAt(page.Count - 1);
        return new LookupDeveloperIdentityResponse
        {
            IdentityId = identity.Id,
            DeveloperUserIdentifierList = page,
            NextToken = more ? PaginationToken.Create(scope, page[^1]) : null,
        };
    }
}
