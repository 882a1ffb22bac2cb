using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.ThreatProtection;

/// <summary>Which check a password goes through: Cognito's event filter (SIGN_UP, PASSWORD_CHANGE, SIGN_IN), the auth
/// event a refusal is recorded as, and the app client whose configuration applies.</summary>
public readonly record struct PasswordCheck(string EventFilter, string EventType, string? ClientId)
{
    public const string SignUp = "SIGN_UP";
    public const string PasswordChange = "PASSWORD_CHANGE";
    public const string SignIn = "SIGN_IN";
}

/// <summary>
/// Compromised-credentials detection (threat protection): a password being set, or shown at a sign-in, is looked up in
/// the Pwned Passwords range API (k-anonymity: 5 hex characters of its SHA-1 leave the machine) and, when that cannot
/// answer, in the offline corpus. Checked for pools whose threat protection is AUDIT or ENFORCED and that have a
/// CompromisedCredentialsRiskConfiguration for the event; what was found goes on the operation's auth event
/// (<see cref="RiskRecord"/>) and on the user (so SRP sign-ins, where the server never sees the password, act on it).
/// With ENFORCED and BLOCK a password set is refused with Cognito's InvalidPasswordException, and a sign-in sets the
/// user to RESET_REQUIRED (as Cognito does): the user hears PasswordResetRequiredException until the password is reset.
/// </summary>
public sealed class CompromisedCredentials(PortalDb db, RiskConfigurations configurations, BreachedPasswordCorpus corpus, PwnedPasswordsRange range,
    RiskRecord record, AuthEvents events, TimeProvider clock, ILogger<CompromisedCredentials> log)
{
    /// <summary>Cognito's answer to a breached password at sign-up or a password change under BLOCK.</summary>
    public const string Refusal = "Provided password cannot be used for security reasons.";

    public const string RangeApi = "range API";
    public const string OfflineCorpus = "offline corpus";
    public const string OfflineFallback = "offline corpus (range API unreachable)";

    public sealed record Verdict(bool Detected, bool Blocks, string Source);

    /// <summary>A password about to be set: refused under ENFORCED + BLOCK, else its finding kept on the user.</summary>
    public async Task PasswordSet(UserPoolStore.Pool pool, UserRow user, string password, PasswordCheck check, CancellationToken ct)
    {
        var verdict = await Check(pool, check, password, ct);
        if (verdict is null) return;
        if (verdict.Blocks)
        {
            // An existing user's refused change is an event of theirs; a refused sign-up leaves no user to record it on.
            if (db.Entry(user).State is EntityState.Unchanged or EntityState.Modified)
                events.Add(pool, user, check.EventType, "Fail", check.ClientId);
            throw new InvalidPasswordException(Refusal);
        }
        Mark(user, verdict);
    }

    /// <summary>A sign-in whose password is proven: checked again when the server saw it, else the user's kept finding
    /// decides (SRP). Under ENFORCED + BLOCK a compromised password ends the sign-in until the password is reset.</summary>
    public async Task SignIn(UserPoolStore.Pool pool, string clientId, UserRow user, string? password, CancellationToken ct)
    {
        if (!RiskConfigurations.Enabled(pool)) return;
        var check = new PasswordCheck(PasswordCheck.SignIn, "SignIn", clientId);
        Verdict? verdict;
        if (password is not null)
        {
            verdict = await Check(pool, check, password, ct);
            if (verdict is null) return;
            Mark(user, verdict);
        }
        else
        {
            if (user.CompromisedCredentialsAt is not { } at || await Configuration(pool, check, ct) is not { } config) return;
            var blocks = Blocks(pool, config);
            verdict = new Verdict(true, blocks, user.CompromisedCredentialsSource ?? OfflineCorpus);
            record.CompromisedCredentials(
                $"Password found in a breached-password list on {at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (source: {verdict.Source}); "
                + (blocks ? "sign-in blocked until the password is reset" : "recorded, no action"), blocks);
        }
        if (!verdict.Detected || !verdict.Blocks) return;
        var sub = user.Sub;
        var now = clock.GetUtcNow();
        var source = verdict.Source;
        // Kept although the sign-in fails: the user must reset the password before signing in again.
        await db.Work.Durably(c => db.Users.Where(u => u.Sub == sub).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Status, UserStatus.ResetRequired)
            .SetProperty(u => u.CompromisedCredentialsAt, now)
            .SetProperty(u => u.CompromisedCredentialsSource, source), c), ct);
        // A user the migration trigger brought in during this sign-in is inserted (durably) as it is tracked.
        user.Status = UserStatus.ResetRequired;
        user.CompromisedCredentialsAt = now;
        user.CompromisedCredentialsSource = source;
        events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", true));
        throw PasswordResetRequiredException.ForUser();
    }

    /// <summary>Looks the password up when the pool's configuration asks for this event; null when it does not.</summary>
    public async Task<Verdict?> Check(UserPoolStore.Pool pool, PasswordCheck check, string password, CancellationToken ct)
    {
        if (await Configuration(pool, check, ct) is not { } config) return null;
        var (detected, source, count) = await Lookup(password, ct);
        var blocks = detected && Blocks(pool, config);
        var when = check.EventFilter switch { PasswordCheck.SignUp => "at sign-up", PasswordCheck.SignIn => "at sign-in", _ => "at a password change" };
        if (detected)
            record.CompromisedCredentials(
                $"Password found in a breached-password list {when} (source: {source}{(count is > 0 ? $", seen {count.Value.ToString("N0", CultureInfo.InvariantCulture)} times" : "")}); "
                + (blocks ? "blocked" : RiskConfigurations.Mode(pool) == "AUDIT" ? "recorded (audit mode)" : "recorded, no action"), blocks);
        return new Verdict(detected, blocks, source);
    }

    async Task<CompromisedCredentialsRiskConfigurationType?> Configuration(UserPoolStore.Pool pool, PasswordCheck check, CancellationToken ct)
    {
        if (!RiskConfigurations.Enabled(pool)) return null;
        var config = (await configurations.Effective(pool.Row.Id, check.ClientId, ct))?.CompromisedCredentialsRiskConfiguration;
        if (config is null) return null;
        // No filter: every event, as Cognito defaults.
        return config.EventFilter is { Count: > 0 } filter && !filter.Contains(check.EventFilter) ? null : config;
    }

    static bool Blocks(UserPoolStore.Pool pool, CompromisedCredentialsRiskConfigurationType config) =>
        RiskConfigurations.Mode(pool) == "ENFORCED" && config.Actions?.EventAction == "BLOCK";

    /// <summary>The range API first; the offline corpus when it is not configured or cannot answer.</summary>
    public async Task<(bool Detected, string Source, int? Count)> Lookup(string password, CancellationToken ct)
    {
        var sha1 = BreachedPasswordCorpus.Sha1(password);
        if (!range.Configured) return (corpus.Contains(sha1), OfflineCorpus, null);
        try
        {
            var count = await range.Count(sha1, ct);
            return (count > 0, RangeApi, count);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            log.LogWarning("The Pwned Passwords range API did not answer ({Error}); the offline corpus answered instead", e.Message);
            return (corpus.Contains(sha1), OfflineFallback, null);
        }
    }

    /// <summary>The user's password is now this one: its finding is kept (or cleared) on the user.</summary>
    void Mark(UserRow user, Verdict verdict)
    {
        if (verdict.Detected)
        {
            user.CompromisedCredentialsAt = clock.GetUtcNow();
            user.CompromisedCredentialsSource = verdict.Source;
        }
        else
        {
            user.CompromisedCredentialsAt = null;
            user.CompromisedCredentialsSource = null;
        }
    }
}
