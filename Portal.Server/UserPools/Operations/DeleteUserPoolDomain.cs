using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class DeleteUserPoolDomain(PortalDb db, UserPoolStore pools, HostedUi.CustomDomainHosts hosts) : IOperation<DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse>
{
    public async Task<DeleteUserPoolDomainResponse> Handle(DeleteUserPoolDomainRequest request, CancellationToken ct)
    {
        // Cognito does not say which of the two is missing.
        var pool = await pools.Find(request.UserPoolId, ct) ?? throw InvalidParameterException.NoSuchDomain();
        var row = await db.Domains.FirstOrDefaultAsync(d => d.Domain == request.Domain && d.UserPoolId == pool.Row.Id, ct)
                  ?? throw InvalidParameterException.NoSuchDomain();
        db.Domains.Remove(row);
        await db.SaveChangesAsync(ct);
        await hosts.AfterCommit(db, ct);
        return new DeleteUserPoolDomainResponse();
    }
}
