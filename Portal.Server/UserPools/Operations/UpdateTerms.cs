using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Changes what is given; renaming onto the client's other document is refused by the unique index.</summary>
sealed class UpdateTerms(PortalDb db, UserPoolStore pools, Terms terms, TimeProvider clock) : IOperation<UpdateTermsRequest, UpdateTermsResponse>
{
    public async Task<UpdateTermsResponse> Handle(UpdateTermsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var row = await terms.Get(pool.Row.Id, request.TermsId, ct);
        if (request.TermsName is { } name) row.TermsName = name;
        if (request.TermsSource is { } source) row.TermsSource = source;
        if (request.Enforcement is { } enforcement) row.Enforcement = enforcement;
        if (request.Links is not null) row.Links = Terms.CheckLinks(request.Links);
        row.LastModifiedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw CreateTerms.Exists(row.TermsName, row.ClientId);
        }
        return new UpdateTermsResponse { Terms = Terms.Describe(row) };
    }
}
