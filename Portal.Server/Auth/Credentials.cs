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
        user.PasswordHash = hasher.Hash(password);
        user.SrpVerifier = SrpVerifierFor(pool.Row.Id, user.Username, password);
        user.PasswordChangedAt = now;
        user.LastModifiedAt = now;
    }

    public bool Verify(UserRow user, string password) => hasher.Verify(user.PasswordHash, password);

    // Cognito's SRP proves the password without sending it; the verifier is made from the internal username.
    static string SrpVerifierFor(string poolId, string username, string password)
    {
        var v = Srp.CreateVerifier(poolId, username, password);
        return $"{v.SaltHex}:{v.VerifierHex}";
    }
}
