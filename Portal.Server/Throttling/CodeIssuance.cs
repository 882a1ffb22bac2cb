using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Throttling;

/// <summary>How many codes one user may be sent (ForgotPassword, ResendConfirmationCode): a fixed window per user,
/// counted in the database so every instance agrees. Cognito answers the same LimitExceededException.</summary>
public sealed class CodeIssuance(PortalDb db, IOptionsMonitor<RateLimitOptions> options, TimeProvider clock)
{
    public const string Message = "Attempt limit exceeded, please try after some time.";

    /// <summary>Counts one more code for the user; throws once the user is over the limit of the window.</summary>
    public async Task Count(string userPoolId, string username, CancellationToken ct)
    {
        var o = options.CurrentValue;
        if (!o.Enabled || o.CodesPerUser <= 0) return;
        var window = clock.GetUtcNow().ToUnixTimeSeconds() / (Math.Max(1, o.CodeWindowMinutes) * 60L);
        // A rate-limit counter is a durable write: a request refused or failed later still counts.
        var count = await db.Work.Durably(async c =>
        {
            var n = await SharedCounters.Increment(db, $"codes:{userPoolId}:{username.ToLowerInvariant()}", window, c);
            // The first code of a new window sweeps counters of past windows, so names tried once do not pile up.
            if (n == 1) await db.RateLimitCounters.Where(x => x.Key.StartsWith("codes:") && x.Window < window - 1).ExecuteDeleteAsync(c);
            return n;
        }, ct);
        if (count > o.CodesPerUser) throw new LimitExceededException(Message);
    }
}
