namespace Portal.Client.Contract;

/// <summary>Cognito's user statuses (UserStatusType), as the protocol spells them: UserType.UserStatus and the
/// cognito:user_status attribute.</summary>
public static class UserStatus
{
    public const string Unconfirmed = "UNCONFIRMED";
    public const string Confirmed = "CONFIRMED";
    public const string Archived = "ARCHIVED";
    public const string Compromised = "COMPROMISED";
    public const string Unknown = "UNKNOWN";
    public const string ResetRequired = "RESET_REQUIRED";
    public const string ForceChangePassword = "FORCE_CHANGE_PASSWORD";
    public const string ExternalProvider = "EXTERNAL_PROVIDER";

    /// <summary>Every status, in Cognito's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Unconfirmed, Confirmed, Archived, Compromised, Unknown, ResetRequired, ForceChangePassword, ExternalProvider];
}
