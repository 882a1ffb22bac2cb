using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>Sets a user's password: policy check, compromised-credentials check (threat protection), Argon2id hash, and
/// the SRP verifier for USER_SRP_AUTH. Every path that sets a password comes through here.</summary>
public sealed class Credentials(PasswordHasher hasher, ThreatProtection.CompromisedCredentials compromised, TimeProvider clock)
{
    /// <param name="check">The compromised-credentials check this set goes through; null for a password no one chose
    /// (generated temporary passwords, a migrated user's placeholder).</param>
    public async Task SetPassword(UserPoolStore.Pool pool, UserRow user, string password, ThreatProtection.PasswordCheck? check, CancellationToken ct)
    {
        PasswordPolicy.Check(pool.Settings.Policies?.PasswordPolicy, password);
        if (check is { } c) await compromised.PasswordSet(pool, user, password, c, ct);
        var now = clock.GetUtcNow();
        user.PasswordHash = await hasher.Hash(password, ct);
        user.SrpVerifier = SrpVerifierFor(pool.Row.Id, user.Username, password);
        user.PasswordChangedAt = now;
        user.LastModifiedAt = now;
    }

    public Task<bool> Verify(UserRow user, string password, CancellationToken ct) => hasher.Verify(user.PasswordHash, password, ct);

    /// <summary>After a proven password: a hash made with older Argon2id parameters is made again with today's, in the
    /// sign-in's unit of work. When no turn to hash is free it waits for the next sign-in rather than fail this one.</summary>
    public async Task Rehash(UserRow user, string password, CancellationToken ct)
    {
        if (!PasswordHasher.NeedsRehash(user.PasswordHash)) return;
        try
        {
            user.PasswordHash = await hasher.Hash(password, ct);
        }
        catch (TooManyRequestsException)
        {
            // Kept as it is; it still verifies.
        }
    }

    // Cognito's SRP proves the password without sending it; the verifier is made from the internal username.
    static string SrpVerifierFor(string poolId, string username, string password)
    {
        var v = Srp.CreateVerifier(poolId, username, password);
        return $"{v.SaltHex}:{v.VerifierHex}";
    }
}
