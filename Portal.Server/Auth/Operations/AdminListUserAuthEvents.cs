using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>A user's authentication events, newest first, paged with NextToken; pools without threat protection have none.</summary>
sealed class AdminListUserAuthEvents(PortalDb db, UserPoolStore pools, UserStore users, TimeProvider clock)
    : IOperation<AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse>
{
    const int DefaultPage = 10;

    public async Task<AdminListUserAuthEventsResponse> Handle(AdminListUserAuthEventsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        AuthEvents.RequireRecorded(pool);
        var user = await users.Get(pool, request.Username, ct);
        var limit = request.MaxResults is > 0 ? request.MaxResults.Value : DefaultPage;
        var scope = $"AdminListUserAuthEvents\n{pool.Row.Id}\n{user.Sub}";

        // Past the retention an event is not listed; the user's next sign-in deletes it (AuthEvents.SignedIn).
        var oldest = clock.GetUtcNow() - AuthEvents.Retention;
        var query = db.AuthEvents.AsNoTracking().Where(e => e.UserSub == user.Sub && e.CreatedAt >= oldest);
        if (PaginationToken.Read(request.NextToken, scope, 2) is [var ticks, var lastId])
        {
            var at = new DateTimeOffset(long.Parse(ticks!, CultureInfo.InvariantCulture), TimeSpan.Zero);
            query = query.Where(e => e.CreatedAt < at || (e.CreatedAt == at && string.Compare(e.EventId, lastId) < 0));
        }
        var rows = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.EventId).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        return new AdminListUserAuthEventsResponse
        {
            AuthEvents = page.Select(AuthEvents.Describe).ToList(),
            NextToken = rows.Count > limit
                ? PaginationToken.Create(scope, page[^1].CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), page[^1].EventId)
                : null,
        };
    }
}
