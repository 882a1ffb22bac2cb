using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>One terms document per kind and client: the unique index (ClientId, TermsName) answers a second one.</summary>
sealed class CreateTerms(PortalDb db, UserPoolStore pools, AppClientStore clients, TimeProvider clock)
    : IOperation<CreateTermsRequest, CreateTermsResponse>
{
    public async Task<CreateTermsResponse> Handle(CreateTermsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var now = clock.GetUtcNow();
        var row = new TermsRow
        {
            TermsId = Guid.NewGuid().ToString(), UserPoolId = pool.Row.Id, ClientId = client.Row.ClientId, TermsName = request.TermsName!,
            TermsSource = request.TermsSource!, Enforcement = request.Enforcement!, Links = Terms.CheckLinks(request.Links),
            CreatedAt = now, LastModifiedAt = now,
        };
        db.Terms.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw Exists(row.TermsName, row.ClientId);
        }
        return new CreateTermsResponse { Terms = Terms.Describe(row) };
    }

    internal static TermsExistsException Exists(string name, string clientId) =>
        new($"Terms with the name {name} already exist for app client {clientId}.");
}
