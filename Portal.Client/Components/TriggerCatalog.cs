using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>What the trigger pages know about each Cognito trigger: what it is for, its trigger sources, a starter
/// handler, and the checks a target must pass before it is sent (the engine checks again).</summary>
public static partial class TriggerCatalog
{
    /// <summary>The target kind shown when a trigger has none.</summary>
    public const string None = "NONE";

    public static readonly IReadOnlyList<string> PreTokenVersions = ["V1_0", "V2_0"];

    public static readonly IReadOnlyList<string> Outcomes = ["Succeeded", "Failed", "TimedOut"];

    public static string KindLabel(string? kind) => kind switch
    {
        TriggerTargetKinds.Inline => "Inline JavaScript",
        TriggerTargetKinds.Webhook => "HTTPS webhook",
        TriggerTargetKinds.Lambda => "AWS Lambda",
        _ => "None",
    };

    public static string Purpose(string trigger) => trigger switch
    {
        "PreSignUp" => "Before a user is created: refuse the sign-up, or auto-confirm and auto-verify.",
        "CustomMessage" => "Before a code or invitation is sent: rewrite the email subject, email and SMS text.",
        "PostConfirmation" => "After a user confirms the account or a new password: welcome, provision, notify.",
        "PreAuthentication" => "Before a sign-in is checked: refuse it by throwing an error.",
        "PostAuthentication" => "After a successful sign-in: log or react; the sign-in is not changed.",
        "DefineAuthChallenge" => "Custom authentication: decides the next challenge, or issues tokens or fails.",
        "CreateAuthChallenge" => "Custom authentication: creates the challenge and its private answer.",
        "VerifyAuthChallengeResponse" => "Custom authentication: checks the user's answer to the challenge.",
        "PreTokenGeneration" => "Before tokens are issued: add, change or suppress claims and groups.",
        "UserMigration" => "When an unknown user signs in or resets a password: bring the user over from a legacy store.",
        _ => "",
    };

    /// <summary>The event's triggerSource values for each trigger, as Cognito names them.</summary>
    public static IReadOnlyList<string> Sources(string trigger) => trigger switch
    {
        "PreSignUp" => ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
        "CustomMessage" =>
        [
            "CustomMessage_SignUp", "CustomMessage_AdminCreateUser", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword",
            "CustomMessage_UpdateUserAttribute", "CustomMessage_VerifyUserAttribute", "CustomMessage_Authentication",
        ],
        "PostConfirmation" => ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
        "PreAuthentication" => ["PreAuthentication_Authentication"],
        "PostAuthentication" => ["PostAuthentication_Authentication"],
        "DefineAuthChallenge" => ["DefineAuthChallenge_Authentication"],
        "CreateAuthChallenge" => ["CreateAuthChallenge_Authentication"],
        "VerifyAuthChallengeResponse" => ["VerifyAuthChallengeResponse_Authentication"],
        "PreTokenGeneration" =>
        [
            "TokenGeneration_HostedAuth", "TokenGeneration_Authentication", "TokenGeneration_NewPasswordChallenge",
            "TokenGeneration_AuthenticateDevice", "TokenGeneration_RefreshTokens",
        ],
        "UserMigration" => ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
        _ => [],
    };

    /// <summary>The ARN the pool's LambdaConfig names for the trigger, if any.</summary>
    public static string? ArnIn(LambdaConfigType? config, string trigger) => config is null ? null : trigger switch
    {
        "PreSignUp" => config.PreSignUp,
        "CustomMessage" => config.CustomMessage,
        "PostConfirmation" => config.PostConfirmation,
        "PreAuthentication" => config.PreAuthentication,
        "PostAuthentication" => config.PostAuthentication,
        "DefineAuthChallenge" => config.DefineAuthChallenge,
        "CreateAuthChallenge" => config.CreateAuthChallenge,
        "VerifyAuthChallengeResponse" => config.VerifyAuthChallengeResponse,
        "PreTokenGeneration" => config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration,
        "UserMigration" => config.UserMigration,
        _ => null,
    };

    [GeneratedRegex(@"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$")]
    private static partial Regex ArnPattern();

    /// <summary>Why a webhook URL would be refused, or null when it is fine.</summary>
    public static string? CheckUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "A webhook needs the URL the event is posted to.";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            return "Enter an absolute https:// URL, e.g. https://hooks.example.com/cognito.";
        return url.Trim().Length is < 8 or > 2048 ? "The URL must be 8 to 2048 characters." : null;
    }

    /// <summary>Why a webhook secret would be refused; blank keeps the stored one (or none for a new webhook).</summary>
    public static string? CheckSecret(string? secret) =>
        string.IsNullOrEmpty(secret) || secret.Length is >= 16 and <= 256 ? null : "The signing secret must be 16 to 256 characters.";

    /// <summary>Why a Lambda ARN would be refused, or null when it is fine.</summary>
    public static string? CheckArn(string? arn)
    {
        if (string.IsNullOrWhiteSpace(arn)) return "Enter the Lambda function's ARN.";
        var trimmed = arn.Trim();
        if (trimmed.Length is < 20 or > 2048 || !ArnPattern().IsMatch(trimmed))
            return "Not an ARN: expected arn:aws:lambda:REGION:ACCOUNT:function:NAME.";
        return null;
    }

    public static string? CheckCode(string? code) =>
        string.IsNullOrWhiteSpace(code) ? "Write the handler, or start from the template." :
        code.Length > 262_144 ? "The code must be at most 256 KiB." : null;

    /// <summary>Indented JSON when the text is JSON, else the text as it is.</summary>
    public static string Pretty(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return "";
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A starter handler in Cognito's shape for the trigger (and, for pre token generation, the event version).</summary>
    public static string Template(string trigger, string? version = null) => trigger switch
    {
        "PreSignUp" => """
            // Pre sign-up: runs before the user is created. Throw an Error to refuse the sign-up.
            exports.handler = async (event) => {
              const email = event.request.userAttributes.email || "";
              if (email.endsWith("@example.com")) {
                // Staff addresses need no confirmation code.
                event.response.autoConfirmUser = true;
                event.response.autoVerifyEmail = true;
              }
              return event;
            };
            """,
        "CustomMessage" => """
            // Custom message: rewrite the message that carries a code ({####} or event.request.codeParameter).
            exports.handler = async (event) => {
              if (event.triggerSource === "CustomMessage_SignUp" || event.triggerSource === "CustomMessage_ResendCode") {
                event.response.emailSubject = "Welcome! Confirm your account";
                event.response.emailMessage = `Your confirmation code is ${event.request.codeParameter}.`;
                event.response.smsMessage = `Your code is ${event.request.codeParameter}`;
              }
              return event;
            };
            """,
        "PostConfirmation" => """
            // Post confirmation: the user is confirmed; provision what the user needs elsewhere.
            exports.handler = async (event) => {
              console.log(`confirmed ${event.userName} (${event.triggerSource})`);
              return event;
            };
            """,
        "PreAuthentication" => """
            // Pre authentication: throw an Error to refuse the sign-in; its message is shown to the user.
            exports.handler = async (event) => {
              if (event.request.userAttributes["custom:blocked"] === "true") {
                throw new Error("This account is blocked.");
              }
              return event;
            };
            """,
        "PostAuthentication" => """
            // Post authentication: the sign-in succeeded; record it.
            exports.handler = async (event) => {
              console.log(`signed in: ${event.userName} from client ${event.callerContext.clientId}`);
              return event;
            };
            """,
        "DefineAuthChallenge" => """
            // Define auth challenge: one custom challenge, then tokens when it was answered correctly.
            exports.handler = async (event) => {
              const session = event.request.session || [];
              if (session.length === 0) {
                event.response.challengeName = "CUSTOM_CHALLENGE";
                event.response.issueTokens = false;
                event.response.failAuthentication = false;
              } else if (session[session.length - 1].challengeResult === true) {
                event.response.issueTokens = true;
                event.response.failAuthentication = false;
              } else {
                event.response.issueTokens = false;
                event.response.failAuthentication = true;
              }
              return event;
            };
            """,
        "CreateAuthChallenge" => """
            // Create auth challenge: what the user is asked (public) and the expected answer (private).
            exports.handler = async (event) => {
              if (event.request.challengeName === "CUSTOM_CHALLENGE") {
                event.response.publicChallengeParameters = { question: "What is 6 x 7?" };
                event.response.privateChallengeParameters = { answer: "42" };
                event.response.challengeMetadata = "ARITHMETIC";
              }
              return event;
            };
            """,
        "VerifyAuthChallengeResponse" => """
            // Verify auth challenge response: compare the answer with the private parameters.
            exports.handler = async (event) => {
              event.response.answerCorrect =
                event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
              return event;
            };
            """,
        "PreTokenGeneration" when version == "V2_0" => """
            // Pre token generation (event version 2): change the ID and access tokens.
            exports.handler = async (event) => {
              event.response = {
                claimsAndScopeOverrideDetails: {
                  idTokenGeneration: {
                    claimsToAddOrOverride: { department: "engineering" },
                  },
                  accessTokenGeneration: {
                    claimsToAddOrOverride: { department: "engineering" },
                    scopesToAdd: [],
                  },
                },
              };
              return event;
            };
            """,
        "PreTokenGeneration" => """
            // Pre token generation: add or override claims in the ID token.
            exports.handler = async (event) => {
              event.response = {
                claimsOverrideDetails: {
                  claimsToAddOrOverride: { department: "engineering" },
                },
              };
              return event;
            };
            """,
        "UserMigration" => """
            // User migration: an unknown user signed in; find the user in the legacy store.
            exports.handler = async (event) => {
              if (event.triggerSource === "UserMigration_Authentication" && event.request.password === "legacy-password") {
                event.response.userAttributes = { email: event.userName, email_verified: "true" };
                event.response.finalUserStatus = "CONFIRMED";
                event.response.messageAction = "SUPPRESS";
                return event;
              }
              throw new Error("Bad password");
            };
            """,
        _ => "exports.handler = async (event) => {\n  return event;\n};\n",
    };
}
