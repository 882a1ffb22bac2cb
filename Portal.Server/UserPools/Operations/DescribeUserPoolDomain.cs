using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>An unknown domain is not an error: Cognito answers an empty DomainDescription.</summary>
sealed class DescribeUserPoolDomain(PortalDb db, Ids ids, Auth.Issuer issuer) : IOperation<DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse>
{
    public async Task<DescribeUserPoolDomainResponse> Handle(DescribeUserPoolDomainRequest request, CancellationToken ct)
    {
        var row = await db.Domains.AsNoTracking().FirstOrDefaultAsync(d => d.Domain == request.Domain, ct);
        return new DescribeUserPoolDomainResponse
        {
            DomainDescription = row is null ? new DomainDescriptionType() : UserPoolDomains.Describe(row, ids.AccountId, issuer.BaseUrl),
        };
    }
}
