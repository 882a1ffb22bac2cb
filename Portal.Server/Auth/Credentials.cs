using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>Sets a user's password: policy check, compromised-credentials check (threat protection), Argon2id hash, and
/// the SRP verifier for USER_SRP_AUTH. Every path that sets a password comes through here.</summary>
public sealed class Credentials(PasswordHasher hasher, ThreatProtection.CompromisedCredentials compromised, Testing.FastHashing fastHashing,
    TimeProvider clock)
{
    Dictionary<(string Pool, string Password), string>? shared;

    /// <summary>Testing mode's seeding: for the rest of this unit of work, users of a pool given the same password share one
    /// hash (one Argon2id computation for a batch, not one per user).</summary>
    public void ShareHashes() => shared ??= [];

    /// <param name="check">The compromised-credentials check this set goes through; null for a password no one chose
    /// (generated temporary passwords, a migrated user's placeholder).</param>
    public async Task SetPassword(UserPoolStore.Pool pool, UserRow user, string password, ThreatProtection.PasswordCheck? check, CancellationToken ct)
    {
        PasswordPolicy.Check(pool.Settings.Policies?.PasswordPolicy, password);
        if (check is { } c) await compromised.PasswordSet(pool, user, password, c, ct);
        var now = clock.GetUtcNow();
        if (shared?.GetValueOrDefault((pool.Row.Id, password)) is not { } hash)
        {
            hash = await fastHashing.For(pool.Row.Id, ct) ? hasher.HashAtMinimumCost(password) : await hasher.Hash(password, ct);
            shared?.Add((pool.Row.Id, password), hash);
        }
        user.PasswordHash = hash;
        user.SrpVerifier = SrpVerifierFor(pool.Row.Id, user.Username, password);
        user.PasswordChangedAt = now;
        user.LastModifiedAt = now;
    }

    public Task<bool> Verify(UserRow user, string password, CancellationToken ct) => hasher.Verify(user.PasswordHash, password, ct);

    /// <summary>After a proven password: a hash made with older Argon2id parameters is made again with today's, in the
    /// sign-in's unit of work, and so is testing mode's minimum-cost hash once fast hashing is off for the pool. When no
    /// turn to hash is free it waits for the next sign-in rather than fail this one.</summary>
    public async Task Rehash(UserRow user, string password, CancellationToken ct)
    {
        if (!PasswordHasher.NeedsRehash(user.PasswordHash, PasswordHasher.IsMinimumCost(user.PasswordHash) && await fastHashing.For(user.UserPoolId, ct))) return;
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
