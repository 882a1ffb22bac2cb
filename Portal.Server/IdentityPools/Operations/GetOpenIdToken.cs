using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>The basic flow's first step: an OpenID token for the identity (10 minutes), which STS
/// AssumeRoleWithWebIdentity accepts where the pool allows the classic flow.</summary>
sealed class GetOpenIdToken(IdentityAccess access, IdentityTokens tokens) : IOperation<GetOpenIdTokenRequest, GetOpenIdTokenResponse>
{
    public async Task<GetOpenIdTokenResponse> Handle(GetOpenIdTokenRequest request, CancellationToken ct)
    {
        var proven = await access.Prove(request.IdentityId, request.Logins, ct);
        var tags = PrincipalTagChoice.For(IdentityPoolStore.PrincipalTags(proven.Pool), proven.Logins);
        var token = await tokens.Issue(proven.Pool.Id, proven.Identity.Id, proven.Amr(), tags, IdentityTokens.DefaultValidity, ct);
        return new GetOpenIdTokenResponse { IdentityId = proven.Identity.Id, Token = token };
    }
}
