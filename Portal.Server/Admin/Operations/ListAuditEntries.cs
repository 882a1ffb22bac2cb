using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Admin.Operations;

sealed class ListAuditEntries(PortalDb db) : IOperation<ListAuditEntriesRequest, ListAuditEntriesResponse>
{
    public async Task<ListAuditEntriesResponse> Handle(ListAuditEntriesRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 50;
        var query = db.Audit.AsNoTracking().AsQueryable();
        if (request.UserPoolId is not null) query = query.Where(a => a.UserPoolId == request.UserPoolId);
        if (request.Actor is not null) query = query.Where(a => a.Actor == request.Actor);
        if (request.Action is not null) query = query.Where(a => a.Action == request.Action);
        if (request.NextToken is not null)
        {
            if (!long.TryParse(request.NextToken, out var before)) throw new InvalidParameterException("NextToken is not valid.");
            query = query.Where(a => a.Id < before);
        }
        var page = await query.OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var more = page.Count > limit;
        if (more) page.RemoveAt(limit);
        return new ListAuditEntriesResponse
        {
            Entries = page.Select(a => new AuditEntryType
            {
                Id = a.Id, At = a.At, Actor = a.Actor, Action = a.Action, UserPoolId = a.UserPoolId, Target = a.Target, Before = a.Before, After = a.After,
            }).ToList(),
            NextToken = more ? page[^1].Id.ToString(CultureInfo.InvariantCulture) : null,
        };
    }
}
