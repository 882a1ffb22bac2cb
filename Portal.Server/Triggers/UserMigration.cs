using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers;

/// <summary>
/// Cognito's lazy migration: a name the pool does not know is looked up with the pool's UserMigration function, and the
/// user it returns is created (with the password just proven, on sign-in) as if it had always been there.
/// </summary>
public sealed class UserMigration(PortalDb db, UserStore users, UserTriggers triggers, Credentials credentials, TimeProvider clock)
{
    public static bool Configured(UserPoolStore.Pool pool) => UserTriggers.Has(pool, "UserMigration");

    /// <summary>Adds the migrated user to the caller's unit of work (saved with it), or throws UserNotFoundException.</summary>
    /// <param name="password">The password given at sign-in (UserMigration_Authentication); null for UserMigration_ForgotPassword.</param>
    public async Task<UserRow> Migrate(UserPoolStore.Pool pool, string? clientId, string username, string? password,
        IReadOnlyDictionary<string, string>? validationData, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var source = password is null ? "UserMigration_ForgotPassword" : "UserMigration_Authentication";
        var migrated = await triggers.UserMigration(pool, source, username, password, clientId, validationData, clientMetadata, ct)
                       ?? throw UserNotFoundException.DoesNotExist();
        var values = migrated.Attributes.Where(a => a.Key is not ("sub" or "cognito:user_status")).ToDictionary(a => a.Key, a => a.Value);
        var sub = Ids.NewSub();
        var name = username;
        var usernameAttributes = pool.Settings.UsernameAttributes ?? [];
        if (usernameAttributes.Count > 0)
        {
            // The pool signs in by email or phone: the name given is that attribute, the internal username the sub.
            if (username.Contains('@') && usernameAttributes.Contains("email")) values.TryAdd("email", username);
            else if (username.StartsWith('+') && usernameAttributes.Contains("phone_number")) values.TryAdd("phone_number", username);
            name = sub;
        }
        var now = clock.GetUtcNow();
        var user = new UserRow
        {
            Sub = sub, UserPoolId = pool.Row.Id, Username = name, UsernameKey = UserStore.Key(pool.Row, name),
            Status = password is null ? UserStatus.ResetRequired : migrated.FinalUserStatus, Enabled = true, CreatedAt = now, LastModifiedAt = now,
        };
        UserStore.SetAttributes(user, values);
        if (migrated.EnableSmsMfa && !string.IsNullOrEmpty(UserStore.Attributes(user).GetValueOrDefault("phone_number")))
        {
            var mfa = Mfa.Read(user);
            mfa.UserMFASettingList.Add(Mfa.Sms);
            Mfa.Write(user, mfa);
        }
        await users.ClaimAliases(pool, user, migrated.ForceAliasCreation, ct);
        // The old directory's password is taken as it is: it was proven there, whatever this pool's policy says.
        var lenient = pool with
        {
            Settings = pool.Settings with
            {
                Policies = new UserPoolPolicyType
                {
                    PasswordPolicy = new PasswordPolicyType { MinimumLength = 1, RequireLowercase = false, RequireUppercase = false, RequireNumbers = false, RequireSymbols = false },
                },
            },
        };
        // The password shown at the sign-in that migrates the user is checked there (PasswordStep), as any sign-in's is.
        await credentials.SetPassword(lenient, user, password ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), null, ct);
        // Kept even when the sign-in or recovery that migrated the user fails (e.g. a reset is required).
        db.Work.AddDurably(user);
        return user;
    }
}
