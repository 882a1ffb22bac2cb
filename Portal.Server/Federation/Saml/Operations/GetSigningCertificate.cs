using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Saml.Operations;

/// <summary>The pool's SAML signing certificate (base64 DER), for IdPs that verify signed AuthnRequests.</summary>
sealed class GetSigningCertificate(UserPoolStore pools, SamlSigningCertificates certificates)
    : IOperation<GetSigningCertificateRequest, GetSigningCertificateResponse>
{
    public async Task<GetSigningCertificateResponse> Handle(GetSigningCertificateRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        return new GetSigningCertificateResponse { Certificate = await certificates.Public(pool.Row.Id, ct) };
    }
}
