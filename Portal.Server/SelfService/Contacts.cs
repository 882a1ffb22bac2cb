using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService;

/// <summary>A contact attribute a code goes to: email (EMAIL) or phone_number (SMS).</summary>
public sealed record Contact(string AttributeName, string Destination);

/// <summary>Where codes go: the contact attributes of a user.</summary>
public sealed class Contacts(PortalDb db)
{
    public static string? ValueOf(UserRow user, string attributeName) => attributeName switch
    {
        "email" => user.Email,
        "phone_number" => user.PhoneNumber,
        _ => null,
    };

    /// <summary>The sign-up code goes to an auto-verified attribute the user has; the phone when both are (as Cognito).</summary>
    public static Contact? ForSignUp(UserPoolType pool, UserRow user)
    {
        var auto = pool.AutoVerifiedAttributes ?? [];
        if (auto.Contains("phone_number") && user.PhoneNumber is { } phone) return new Contact("phone_number", phone);
        if (auto.Contains("email") && user.Email is { } email) return new Contact("email", email);
        return null;
    }

    public const string AdminOnlyMessage = "Contact administrator to reset password.";

    /// <summary>Whether only an administrator resets passwords in this pool (the admin_only recovery mechanism).</summary>
    public static bool AdminOnly(UserPoolType pool) =>
        pool.AccountRecoverySetting?.RecoveryMechanisms?.Any(m => m.Name == "admin_only") == true;

    /// <summary>The password-reset code goes by the pool's AccountRecoverySetting to a verified email or phone
    /// (without a setting: the phone, else the email). admin_only refuses self-service recovery.</summary>
    public static Contact ForRecovery(UserPoolType pool, UserRow user, bool byAdministrator)
    {
        var mechanisms = pool.AccountRecoverySetting?.RecoveryMechanisms is { Count: > 0 } set
            ? set.OrderBy(m => m.Priority ?? int.MaxValue).Select(m => m.Name).ToList()
            : ["verified_phone_number", "verified_email"];
        foreach (var mechanism in mechanisms)
        {
            switch (mechanism)
            {
                case "verified_email" when user.EmailVerified && user.Email is { } email:
                    return new Contact("email", email);
                case "verified_phone_number" when user.PhoneNumberVerified && user.PhoneNumber is { } phone:
                    return new Contact("phone_number", phone);
                case "admin_only" when !byAdministrator:
                    throw new NotAuthorizedException(AdminOnlyMessage);
            }
        }
        throw new InvalidParameterException("Cannot reset password for the user as there is no registered/verified email or phone_number");
    }

    /// <summary>In pools that sign in by email or phone the value is a username: whether another user has it.</summary>
    public async Task<bool> IsTakenAsUsername(UserPoolStore.Pool pool, string? sub, string attributeName, string value, CancellationToken ct)
    {
        if (pool.Settings.UsernameAttributes?.Contains(attributeName) != true) return false;
        return attributeName == "email"
            ? await db.Users.AnyAsync(u => u.UserPoolId == pool.Row.Id && u.Sub != sub && u.Email == value, ct)
            : await db.Users.AnyAsync(u => u.UserPoolId == pool.Row.Id && u.Sub != sub && u.PhoneNumber == value, ct);
    }

    /// <summary>What PreventUserExistenceErrors answers for an unknown user: a plausible, stable, masked destination.</summary>
    public static CodeDeliveryDetailsType Simulated(string? username)
    {
        username ??= "";
        if (username.StartsWith('+') && username.Length > 5) return Messaging.CodeDelivery.For("phone_number", username);
        if (username.Contains('@')) return Messaging.CodeDelivery.For("email", username);
        var letters = "abcdefghijklmnopqrstuvwxyz";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(username));
        return Messaging.CodeDelivery.For("email", $"{letters[hash[0] % 26]}@{letters[hash[1] % 26]}");
    }
}
