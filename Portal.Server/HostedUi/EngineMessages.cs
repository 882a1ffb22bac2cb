using Portal.Client.Contract;

namespace Portal.Server.HostedUi;

/// <summary>The engine's error messages a hosted page shows (a wrong code, a password the policy refuses), in the page's
/// language. The engine speaks Cognito's English (apps compare it); a message is translated only when it is one of the
/// sentences below, word for word, so a trigger's own message or an unknown one is shown as it is.</summary>
public static class EngineMessages
{
    const string PolicyPrefix = "Password did not conform with policy: ";

    /// <summary>Engine message (English, as Cognito words it) → key of <see cref="Texts"/> whose English is that message.</summary>
    static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["Invalid verification code provided, please try again."] = "EngineCodeMismatch",
        ["Invalid code provided, please request a code again."] = "EngineCodeExpired",
        ["Attempt limit exceeded, please try after some time."] = "EngineAttemptLimit",
        ["Password not long enough"] = "EnginePasswordLength",
        ["Password must have lowercase characters"] = "EnginePasswordLower",
        ["Password must have uppercase characters"] = "EnginePasswordUpper",
        ["Password must have numeric characters"] = "EnginePasswordNumber",
        ["Password must have symbol characters"] = "EnginePasswordSymbol",
        ["User is disabled."] = "EngineUserDisabled",
        ["User is not confirmed."] = "EngineUserNotConfirmed",
        ["User does not exist."] = "EngineUserNotFound",
        ["Username/client id combination not found."] = "EngineUserNotFoundForClient",
        ["An account with the given email already exists."] = "EngineEmailExists",
        ["Cannot reset password for the user as there is no registered/verified email or phone_number"] = "EngineNoResetAddress",
    };

    /// <summary>The keys of <see cref="Texts"/> this class uses (the texts test checks each has every language).</summary>
    public static IEnumerable<string> TextKeys => Keys.Values;

    /// <summary>An engine error for a page: a password-policy refusal without Cognito's prefix, in the page's language when known.</summary>
    public static string Say(CognitoException e, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Say(e.Message, texts);
    }

    /// <inheritdoc cref="Say(CognitoException, Texts)"/>
    public static string Say(string message, Texts texts)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(texts);
        var text = message.Replace(PolicyPrefix, "", StringComparison.Ordinal);
        return Keys.TryGetValue(text, out var key) ? texts[key] : text;
    }
}
