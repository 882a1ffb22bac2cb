using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;

namespace Portal.Server.IdentityPools.Operations;

sealed class DescribeIdentity(Identities identities) : IOperation<DescribeIdentityRequest, DescribeIdentityResponse>
{
    public async Task<DescribeIdentityResponse> Handle(DescribeIdentityRequest request, CancellationToken ct)
    {
        var d = await identities.Describe(await identities.Get(request.IdentityId, ct), ct);
        return new DescribeIdentityResponse { IdentityId = d.IdentityId, Logins = d.Logins, CreationDate = d.CreationDate, LastModifiedDate = d.LastModifiedDate };
    }
}
