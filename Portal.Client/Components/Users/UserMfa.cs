using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>A user's MFA factors as AdminGetUser lists them, in an operator's words.</summary>
public static class UserMfa
{
    /// <summary>What an operator calls each MFA factor AdminGetUser lists.</summary>
    public static string FactorName(string factor) => factor switch
    {
        "SOFTWARE_TOKEN_MFA" => "Authenticator app",
        "SMS_MFA" => "SMS",
        "EMAIL_OTP" => "Email",
        _ => factor,
    };

    public static List<string> Factors(AdminGetUserResponse? user) => user?.UserMFASettingList ?? [];

    /// <summary>"MFA: Authenticator app (preferred), SMS", or "No MFA".</summary>
    public static string Summary(AdminGetUserResponse? user) => Factors(user) is { Count: > 0 } factors
        ? "MFA: " + string.Join(", ", factors.Select(f => FactorName(f) + (f == user?.PreferredMfaSetting ? " (preferred)" : "")))
        : "No MFA";
}
