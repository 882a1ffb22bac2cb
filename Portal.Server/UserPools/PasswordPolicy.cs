using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>The pool's password policy, enforced on every password set.</summary>
public static class PasswordPolicy
{
    public static PasswordPolicyType Default { get; } = new()
    {
        MinimumLength = 8, RequireUppercase = true, RequireLowercase = true, RequireNumbers = true, RequireSymbols = true,
        TemporaryPasswordValidityDays = 7,
    };

    const string Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

    /// <summary>Throws InvalidPasswordException saying what the password lacks (as Cognito words it).</summary>
    public static void Check(PasswordPolicyType? policy, string password, string? exceptionType = null)
    {
        policy ??= Default;
        string? problem = null;
        if (password.Length < (policy.MinimumLength ?? 8)) problem = "Password not long enough";
        else if (policy.RequireLowercase == true && !password.Any(char.IsLower)) problem = "Password must have lowercase characters";
        else if (policy.RequireUppercase == true && !password.Any(char.IsUpper)) problem = "Password must have uppercase characters";
        else if (policy.RequireNumbers == true && !password.Any(char.IsDigit)) problem = "Password must have numeric characters";
        else if (policy.RequireSymbols == true && !password.Any(c => Symbols.Contains(c))) problem = "Password must have symbol characters";
        if (problem is not null)
            throw new InvalidPasswordException($"Password did not conform with policy: {problem}");
    }

    /// <summary>A random password that satisfies the policy (temporary passwords of AdminCreateUser).</summary>
    public static string Generate(PasswordPolicyType? policy)
    {
        policy ??= Default;
        var length = Math.Max(policy.MinimumLength ?? 8, 12);
        var chars = new List<char>
        {
            System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 1)[0],
            System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz", 1)[0],
            System.Security.Cryptography.RandomNumberGenerator.GetString("23456789", 1)[0],
            System.Security.Cryptography.RandomNumberGenerator.GetString("!#%&*+-=?@^_", 1)[0],
        };
        chars.AddRange(System.Security.Cryptography.RandomNumberGenerator.GetString(
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", length - chars.Count));
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chars));
        return new string(chars.ToArray());
    }
}
