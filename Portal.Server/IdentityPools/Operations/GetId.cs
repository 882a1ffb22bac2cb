using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>The identity of a set of logins (made, linked or merged as needed), or a new guest identity when there are
/// none and the pool allows guests.</summary>
sealed class GetId(IdentityPoolStore pools, Identities identities, Logins logins) : IOperation<GetIdRequest, GetIdResponse>
{
    public async Task<GetIdResponse> Handle(GetIdRequest request, CancellationToken ct)
    {
        var pool = await pools.Cached(request.IdentityPoolId, ct);
        var verified = await logins.Verify(pool, request.Logins, ct);
        if (verified.Count == 0)
        {
            if (!pool.AllowUnauthenticated) throw new NotAuthorizedException("Unauthenticated access is not supported for this identity pool.");
            return new GetIdResponse { IdentityId = (await identities.NewGuest(pool.Id, ct)).Id };
        }
        if (verified.FirstOrDefault(v => v.IsIdentityToken) is { } token)
        {
            var identity = await identities.Get(token.LoginId, ct);
            var others = verified.Where(v => !v.IsIdentityToken).Select(v => (v.Provider, v.LoginId)).ToList();
            if (others.Count > 0) identity = await identities.Link(identity, others, pool.DeveloperProviderName, ct);
            return new GetIdResponse { IdentityId = identity.Id };
        }
        var found = await identities.ForLogins(pool.Id, verified.Select(v => (v.Provider, v.LoginId)).ToList(), pool.DeveloperProviderName, ct);
        return new GetIdResponse { IdentityId = found.Id };
    }
}
