using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>The basic flow's first step: an OpenID token for the identity (10 minutes), which STS
/// AssumeRoleWithWebIdentity accepts; only where the pool allows the classic flow, as Cognito answers.</summary>
sealed class GetOpenIdToken(IdentityAccess access, IdentityTokens tokens, Identities identities, IdentityPoolStore pools)
    : IOperation<GetOpenIdTokenRequest, GetOpenIdTokenResponse>
{
    public async Task<GetOpenIdTokenResponse> Handle(GetOpenIdTokenRequest request, CancellationToken ct)
    {
        var pool = await pools.Cached((await identities.Get(request.IdentityId, ct)).IdentityPoolId, ct);
        if (!pool.AllowClassicFlow) throw new InvalidParameterException("Basic (classic) flow is not enabled, please use enhanced flow.");
        var proven = await access.Prove(request.IdentityId, request.Logins, ct);
        var tags = PrincipalTagChoice.For(IdentityPoolStore.PrincipalTags(proven.Pool), proven.Logins);
        var token = await tokens.Issue(proven.Pool.Id, proven.Identity.Id, proven.Amr(), tags, IdentityTokens.DefaultValidity, ct);
        return new GetOpenIdTokenResponse { IdentityId = proven.Identity.Id, Token = token };
    }
}
