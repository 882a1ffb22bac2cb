using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>
/// A developer's backend registers (or finds) the identity of its user — Logins names the pool's developer provider with
/// the user's identifier, beside any other provider's token — and gets an OpenID token for it (15 minutes unless
/// TokenDuration says, up to a day). Given an IdentityId, the logins are linked to it; a developer user already
/// registered under another identity is refused with DeveloperUserAlreadyRegisteredException.
/// </summary>
sealed class GetOpenIdTokenForDeveloperIdentity(IdentityPoolStore pools, Identities identities, Logins logins, IdentityTokens tokens)
    : IOperation<GetOpenIdTokenForDeveloperIdentityRequest, GetOpenIdTokenForDeveloperIdentityResponse>
{
    public async Task<GetOpenIdTokenForDeveloperIdentityResponse> Handle(GetOpenIdTokenForDeveloperIdentityRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var developer = pool.DeveloperProviderName
                        ?? throw new NotAuthorizedException("The identity pool has no developer provider name.");
        var given = request.Logins!;
        if (!given.TryGetValue(developer, out var userIdentifier) || string.IsNullOrEmpty(userIdentifier))
            throw new NotAuthorizedException($"Logins must name the identity pool's developer provider {developer}.");
        if (userIdentifier.Length > 1024) throw new InvalidParameterException("A developer user identifier has at most 1024 characters.");
        var others = await logins.Verify(pool, given.Where(l => l.Key != developer).ToDictionary(), ct);
        if (others.Any(o => o.IsIdentityToken)) throw new InvalidParameterException($"Logins cannot hold a {IdentityTokens.LoginKey} token here.");
        var toLink = others.Select(o => (o.Provider, o.LoginId)).Prepend((developer, userIdentifier)).ToList();

        Storage.IdentityRow identity;
        if (request.IdentityId is { } identityId)
        {
            identity = await identities.Get(identityId, ct);
            if (identity.IdentityPoolId != pool.Id) throw Identities.NotFound(identityId);
            var owner = await identities.LoginRows.Where(l => l.IdentityPoolId == pool.Id && l.Provider == developer && l.LoginId == userIdentifier)
                .Select(l => l.IdentityId).FirstOrDefaultAsync(ct);
            if (owner is not null && owner != identity.Id)
                throw new DeveloperUserAlreadyRegisteredException("The provided developer user identifier is already registered with Cognito under a different identity ID.");
            identity = await identities.Link(identity, toLink, developer, ct);
        }
        else identity = await identities.ForLogins(pool.Id, toLink, developer, ct);

        var amr = new[] { "authenticated", developer, $"{developer}:{pool.Id}:{userIdentifier}" };
        var validity = request.TokenDuration is { } seconds ? TimeSpan.FromSeconds(seconds) : IdentityTokens.DeveloperDefaultValidity;
        var token = await tokens.Issue(pool.Id, identity.Id, amr, request.PrincipalTags, validity, ct);
        return new GetOpenIdTokenForDeveloperIdentityResponse { IdentityId = identity.Id, Token = token };
    }
}
