using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>
/// Kills tokens before they expire: a refresh token's family (RevokeToken) or everything a user holds (global sign-out).
/// Access tokens are checked against the revoked families (RevokedTokens, by origin_jti) and the user's TokensValidAfter.
/// Changes join the caller's unit of work.
/// </summary>
public sealed class TokenRevocation(PortalDb db, TimeProvider clock)
{
    /// <summary>Revokes every refresh token of the family and the ID and access tokens issued with them.</summary>
    public async Task RevokeFamily(string originJti, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.RefreshTokens.Where(r => r.OriginJti == originJti).ToListAsync(ct);
        foreach (var row in rows.Where(r => r.RevokedAt is null || r.RevokedAt > now)) row.RevokedAt = now;
        await MarkRevoked(originJti, rows.Select(r => r.ExpiresAt).DefaultIfEmpty(now).Max(), ct);
    }

    /// <summary>Global sign-out: every token issued to the user until now stops working, on every client.</summary>
    public async Task SignOutEverywhere(UserRow user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        user.TokensValidAfter = now;
        var live = await db.RefreshTokens.Where(r => r.UserSub == user.Sub && r.ExpiresAt > now).ToListAsync(ct);
        foreach (var row in live.Where(r => r.RevokedAt is null || r.RevokedAt > now)) row.RevokedAt = now;
        // Access tokens carry whole seconds; naming the families also kills those issued earlier within this second.
        foreach (var family in live.GroupBy(r => r.OriginJti))
            await MarkRevoked(family.Key, family.Max(r => r.ExpiresAt), ct);
    }

    /// <summary>Whether tokens of this family may no longer be used (RevokeToken, or a sign-out that named it).</summary>
    public Task<bool> IsRevoked(string originJti, CancellationToken ct) =>
        db.RevokedTokens.AnyAsync(r => r.OriginJti == originJti, ct);

    /// <summary>Whether a token of the family <paramref name="originJti"/> issued at <paramref name="iat"/> (a token's whole
    /// seconds) predates the user's last global sign-out. Within the sign-out's own second, whole seconds cannot tell: the
    /// family's sign-in time (kept to the tick) decides, as <see cref="SignedOutSince"/> does for operator sessions; a
    /// token whose family is unknown is taken as signed out.</summary>
    public async Task<bool> SignedOut(UserRow user, long iat, string? originJti, CancellationToken ct)
    {
        if (user.TokensValidAfter is not { } after) return false;
        var second = after.ToUnixTimeSeconds();
        if (iat != second) return iat < second;
        var signedInAt = originJti is null ? null
            : await db.RefreshTokens.Where(r => r.OriginJti == originJti).Select(r => (DateTimeOffset?)r.IssuedAt).FirstOrDefaultAsync(ct);
        return signedInAt is null || SignedOutSince(user, signedInAt.Value);
    }

    /// <summary>Whether a session started at <paramref name="startedAt"/> (a precise instant, not a token's whole-second iat)
    /// began before the user's last global sign-out.</summary>
    public static bool SignedOutSince(UserRow user, DateTimeOffset startedAt) =>
        user.TokensValidAfter is { } after && startedAt < after;

    async Task MarkRevoked(string originJti, DateTimeOffset lastRefreshExpiry, CancellationToken ct)
    {
        // Kept until no token of the family can still be valid: the last refresh plus an access token's life.
        var until = lastRefreshExpiry + SigningKeys.LongestTokenValidity;
        var existing = db.RevokedTokens.Local.FirstOrDefault(r => r.OriginJti == originJti)
                       ?? await db.RevokedTokens.FirstOrDefaultAsync(r => r.OriginJti == originJti, ct);
        if (existing is null) db.RevokedTokens.Add(new RevokedTokenRow { OriginJti = originJti, ExpiresAt = until });
        else if (existing.ExpiresAt < until) existing.ExpiresAt = until;
    }
}
