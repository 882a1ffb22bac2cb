using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Admin.Operations;

/// <summary>Sign-ups and sign-ins per UTC day from rows Portal keeps anyway: a sign-up is a user created that day (by
/// SignUp, AdminCreateUser or federation); a sign-in is a refresh-token family (origin_jti) whose authentication happened
/// that day — every sign-in starts one family and refreshing stays in it, so renewals are not counted twice.</summary>
sealed class GetActivityStatistics(PortalDb db, TimeProvider clock) : IOperation<GetActivityStatisticsRequest, GetActivityStatisticsResponse>
{
    public const string Counting =
        "Sign-ups: users created per day (sign-up, invitation or first federated sign-in), users deleted since are not counted. " +
        "Sign-ins: successful sign-ins that issued tokens (one per token family; refreshing is not counted), while their refresh tokens are stored.";

    public async Task<GetActivityStatisticsResponse> Handle(GetActivityStatisticsRequest request, CancellationToken ct)
    {
        var days = request.Days ?? 14;
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var since = new DateTimeOffset(today.AddDays(-(days - 1)), TimeSpan.Zero);

        var users = db.Users.AsNoTracking().Where(u => u.CreatedAt >= since);
        var tokens = db.RefreshTokens.AsNoTracking().Where(t => t.IssuedAt >= since);
        if (request.UserPoolId is { } pool)
        {
            users = users.Where(u => u.UserPoolId == pool);
            tokens = tokens.Where(t => t.UserPoolId == pool);
        }
        var created = await users.Select(u => u.CreatedAt).ToListAsync(ct);
        // Rotation adds rows to a family with the same auth time: one sign-in per origin_jti.
        var families = (await tokens.Select(t => new { t.OriginJti, t.IssuedAt }).ToListAsync(ct))
            .GroupBy(t => t.OriginJti).Select(g => g.Min(t => t.IssuedAt)).ToList();

        var signUps = created.GroupBy(d => d.UtcDateTime.Date).ToDictionary(g => g.Key, g => g.Count());
        var signIns = families.GroupBy(d => d.UtcDateTime.Date).ToDictionary(g => g.Key, g => g.Count());
        return new GetActivityStatisticsResponse
        {
            Days = Enumerable.Range(0, days).Select(i => today.AddDays(i - (days - 1))).Select(day => new ActivityDayType
            {
                Date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                SignUps = signUps.GetValueOrDefault(day), SignIns = signIns.GetValueOrDefault(day),
            }).ToList(),
            Counting = Counting,
        };
    }
}
