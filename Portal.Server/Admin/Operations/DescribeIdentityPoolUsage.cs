using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.IdentityPools;
using Portal.Server.Storage;

namespace Portal.Server.Admin.Operations;

/// <summary>An identity pool's usage, counted from its identities and their logins, and the credentials issued per day
/// (<see cref="CredentialsUsage"/>).</summary>
sealed class DescribeIdentityPoolUsage(IdentityPoolStore pools, Identities identities, CredentialsUsage usage, PortalDb db, TimeProvider clock)
    : IOperation<DescribeIdentityPoolUsageRequest, DescribeIdentityPoolUsageResponse>
{
    public async Task<DescribeIdentityPoolUsageResponse> Handle(DescribeIdentityPoolUsageRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.IdentityPoolId, ct);
        var days = request.Days ?? 14;
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var since = new DateTimeOffset(today.AddDays(-(days - 1)), TimeSpan.Zero);

        var rows = identities.Rows.AsNoTracking().Where(i => i.IdentityPoolId == pool.Id);
        var logins = identities.LoginRows.AsNoTracking().Where(l => l.IdentityPoolId == pool.Id);
        var total = await rows.CountAsync(ct);
        var authenticated = await logins.Select(l => l.IdentityId).Distinct().CountAsync(ct);
        var byProvider = await logins.GroupBy(l => l.Provider).Select(g => new { Provider = g.Key, Count = g.Count() }).ToListAsync(ct);
        var created = await rows.Where(i => i.CreatedAt >= since).Select(i => i.CreatedAt).ToListAsync(ct);
        var last = await rows.OrderByDescending(i => i.LastModifiedAt).Select(i => (DateTimeOffset?)i.LastModifiedAt).FirstOrDefaultAsync(ct);
        var perDay = created.GroupBy(d => d.UtcDateTime.Date).ToDictionary(g => g.Key, g => g.Count());
        var dates = Enumerable.Range(0, days).Select(i => today.AddDays(i - (days - 1))).ToList();
        var issued = await usage.PerDay(db, pool.Id, [.. dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))], ct);
        return new DescribeIdentityPoolUsageResponse
        {
            Identities = total,
            Authenticated = authenticated,
            Guests = total - authenticated,
            LoginsByProvider = [.. byProvider.OrderByDescending(p => p.Count).ThenBy(p => p.Provider, StringComparer.Ordinal)
                .Select(p => new IdentityPoolProviderUsage { Provider = p.Provider, Logins = p.Count })],
            Days = [.. dates.Select(day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Select((date, i) => new IdentityPoolUsageDay
            {
                Date = date, NewIdentities = perDay.GetValueOrDefault(dates[i]), CredentialsIssued = issued.GetValueOrDefault(date),
            })],
            LastActivity = last,
        };
    }
}
