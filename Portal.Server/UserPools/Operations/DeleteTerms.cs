using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class DeleteTerms(PortalDb db, UserPoolStore pools, Terms terms) : IOperation<DeleteTermsRequest, DeleteTermsResponse>
{
    public async Task<DeleteTermsResponse> Handle(DeleteTermsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        db.Terms.Remove(await terms.Get(pool.Row.Id, request.TermsId, ct));
        await db.SaveChangesAsync(ct);
        return new DeleteTermsResponse();
    }
}
