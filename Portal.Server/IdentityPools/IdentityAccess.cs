using System.Text.Json;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.IdentityPools;

/// <summary>An identity a caller has proved: the identity (after any linking or merge the logins caused), its pool,
/// the verified logins, and whether it is authenticated.</summary>
public sealed record ProvenIdentity(IdentityRow Identity, IdentityPoolRow Pool, IReadOnlyList<VerifiedLogin> Logins, bool Authenticated)
{
    /// <summary>The amr Cognito writes: <c>["unauthenticated"]</c>, or authenticated with the login's provider and user.</summary>
    public IReadOnlyList<string> Amr()
    {
        if (!Authenticated) return ["unauthenticated"];
        if (Logins.FirstOrDefault(l => !l.IsIdentityToken) is { } login) return ["authenticated", login.Provider, login.AmrDetail];
        // A developer identity's token: its amr names the developer provider already.
        var amr = Logins[0].Claims["amr"]?.AsArray().Where(a => a?.GetValueKind() == JsonValueKind.String).Select(a => a!.GetValue<string>()).ToList();
        return amr is { Count: > 0 } ? amr : ["authenticated"];
    }
}

/// <summary>Who may use an identity (GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity), as Cognito decides:
/// never a disabled identity (its logins all unlinked); a guest (no logins) only where the pool allows guests; an authenticated identity only with at least one of its own
/// logins (or a token of Portal's identity issuer for it). Other logins given along are linked, merging identities.</summary>
public sealed class IdentityAccess(IdentityPoolStore pools, Identities identities, Logins logins)
{
    public async Task<ProvenIdentity> Prove(string? identityId, IReadOnlyDictionary<string, string>? given, CancellationToken ct)
    {
        var identity = await identities.Get(identityId, ct);
        if (identity.Disabled) throw new NotAuthorizedException($"Access to Identity '{identity.Id}' is forbidden.");
        var pool = await pools.Cached(identity.IdentityPoolId, ct);
        var verified = await logins.Verify(pool, given, ct);
        var held = await identities.LoginsOf(identity.Id, ct);
        if (verified.Count == 0)
        {
            if (held.Count > 0) throw new NotAuthorizedException($"Access to Identity '{identity.Id}' is forbidden.");
            if (!pool.AllowUnauthenticated) throw new NotAuthorizedException("Unauthenticated access is not supported for this identity pool.");
            return new ProvenIdentity(identity, pool, verified, false);
        }
        var identityToken = verified.FirstOrDefault(v => v.IsIdentityToken);
        if (identityToken is not null && identityToken.LoginId != identity.Id)
            throw new NotAuthorizedException("Invalid login token. The token is not for this identity.");
        var toLink = verified.Where(v => !v.IsIdentityToken).Select(v => (v.Provider, v.LoginId)).ToList();
        if (identityToken is null && held.Count > 0 && !toLink.Any(l => held.Any(h => h.Provider == l.Provider && h.LoginId == l.LoginId)))
            throw new NotAuthorizedException("Logins don't match. Please include at least one valid login for this identity or identity pool.");
        if (toLink.Count > 0) identity = await identities.Link(identity, toLink, pool.DeveloperProviderName, ct);
        return new ProvenIdentity(identity, pool, verified, true);
    }
}
