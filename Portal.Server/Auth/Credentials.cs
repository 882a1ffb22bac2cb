using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>Sets a user's password: policy check, Argon2id hash, and the SRP verifier for USER_SRP_AUTH.</summary>
public sealed class Credentials(PasswordHasher hasher, TimeProvider clock)
{
    public void SetPassword(UserPoolStore.Pool pool, UserRow user, string password)
    {
        PasswordPolicy.Check(pool.Settings.Policies?.PasswordPolicy, password);
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
