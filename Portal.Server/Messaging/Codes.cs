using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Messaging;

/// <summary>What a one-time code is for; one live code per user and purpose.</summary>
public static class CodePurpose
{
    public const string SignUp = "SignUp";
    public const string ForgotPassword = "ForgotPassword";
    public static string Verify(string attributeName) => $"Verify:{attributeName}";
    /// <summary>A passwordless sign-in's one-time code (EMAIL_OTP, SMS_OTP).</summary>
    public static string SignIn(string factor) => $"SignIn:{factor}";
    /// <summary>A second factor's code after the password (SMS_MFA, EMAIL_OTP).</summary>
    public static string Mfa(string factor) => $"Mfa:{factor}";
}

/// <summary>
/// One-time 6-digit codes: issued at random, stored hashed with their row id, single use, a few tries,
/// an expiry. Issuing a new code for a purpose kills the previous one. A code may carry a detail: the
/// attribute a sign-up code went to, or the pending new email or phone number an attribute code verifies.
/// </summary>
public sealed class Codes(PortalDb db, TimeProvider clock)
{
    public static readonly TimeSpan SignUpLifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan ForgotPasswordLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan VerifyLifetime = TimeSpan.FromHours(24);
    public const int MaxAttempts = 5;

    // The detail rides in the Purpose column ("Verify:email=new@example.com"): purposes have no '='.
    const char DetailSeparator = '=';

    /// <summary>Adds a new code (saved with the caller's unit of work) and removes the user's earlier ones for the purpose.</summary>
    public async Task<string> Issue(UserRow user, string purpose, TimeSpan lifetime, CancellationToken ct, string? detail = null, int digits = 6)
    {
        var now = clock.GetUtcNow();
        var earlier = await db.Codes.Where(c => c.UserSub == user.Sub).ToListAsync(ct);
        db.Codes.RemoveRange(earlier.Where(c => PurposeOf(c) == purpose || c.ExpiresAt < now));

        var code = RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
        var id = Guid.NewGuid();
        db.Codes.Add(new CodeRow
        {
            Id = id, UserPoolId = user.UserPoolId, UserSub = user.Sub,
            Purpose = detail is null ? purpose : $"{purpose}{DetailSeparator}{detail}",
            CodeHash = Hash(id, code), CreatedAt = now, ExpiresAt = now + lifetime,
        });
        return code;
    }

    /// <summary>
    /// Spends the user's code for the purpose, or throws as Cognito does: CodeMismatchException for a wrong
    /// code (counted), LimitExceededException once it was wrong <see cref="MaxAttempts"/> times,
    /// ExpiredCodeException when it is past its expiry or already used. Returns the code's detail, if any.
    /// </summary>
    public async Task<string?> Use(UserRow user, string purpose, string? code, CancellationToken ct)
    {
        var row = await Latest(user, purpose, ct);
        if (row is null) throw Mismatch();
        if (row.UsedAt is not null) throw Expired();
        if (row.FailedAttempts >= MaxAttempts) throw AttemptLimit();
        var now = clock.GetUtcNow();
        if (row.ExpiresAt <= now) throw Expired();
        if (code is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(row.Id, code)), Encoding.ASCII.GetBytes(row.CodeHash)))
        {
            // Counted in the database itself so parallel guesses cannot share one attempt.
            // Durable: the failed operation rolls back, the wrong attempt stays counted.
            await db.Work.Durably(c => db.Codes.Where(x => x.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FailedAttempts, x => x.FailedAttempts + 1), c), ct);
            throw Mismatch();
        }
        // Spent atomically: of two requests racing with the same code only one wins.
        var spent = await db.Codes.Where(c => c.Id == row.Id && c.UsedAt == null && c.FailedAttempts < MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        if (spent == 0) throw Expired();
        return DetailOf(row);
    }

    /// <summary>The detail of the user's live code for the purpose, without spending it.</summary>
    public async Task<string?> Detail(UserRow user, string purpose, CancellationToken ct)
    {
        var row = await Latest(user, purpose, ct);
        return row is { UsedAt: null } && row.ExpiresAt > clock.GetUtcNow() ? DetailOf(row) : null;
    }

    /// <summary>Kills the user's codes for the purpose (saved with the caller's unit of work).</summary>
    public async Task Revoke(UserRow user, string purpose, CancellationToken ct)
    {
        var rows = await db.Codes.Where(c => c.UserSub == user.Sub).ToListAsync(ct);
        db.Codes.RemoveRange(rows.Where(c => PurposeOf(c) == purpose));
    }

    async Task<CodeRow?> Latest(UserRow user, string purpose, CancellationToken ct)
    {
        var rows = await db.Codes.AsNoTracking().Where(c => c.UserSub == user.Sub).ToListAsync(ct);
        return rows.Where(c => PurposeOf(c) == purpose).OrderByDescending(c => c.CreatedAt).FirstOrDefault();
    }

    static string PurposeOf(CodeRow row) => row.Purpose.Split(DetailSeparator, 2)[0];

    static string? DetailOf(CodeRow row) => row.Purpose.Split(DetailSeparator, 2) is [_, var value] ? value : null;

    /// <summary>HMAC-SHA256 of the code keyed with the row id, so equal codes never share a hash.</summary>
    public static string Hash(Guid id, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(id.ToByteArray(), Encoding.UTF8.GetBytes(code)));

    static CodeMismatchException Mismatch() => new("Invalid verification code provided, please try again.");
    static ExpiredCodeException Expired() => new("Invalid code provided, please request a code again.");
    static LimitExceededException AttemptLimit() => new("Attempt limit exceeded, please try after some time.");
}
