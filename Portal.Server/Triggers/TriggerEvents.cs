using System.Text.Json.Nodes;
using Portal.Client.Contract;

namespace Portal.Server.Triggers;

/// <summary>The trigger sources of each trigger, and Cognito-shaped sample events for trying a function out.</summary>
public static class TriggerEvents
{
    public static readonly IReadOnlyDictionary<string, string[]> Sources = new Dictionary<string, string[]>
    {
        ["PreSignUp"] = ["PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider"],
        ["CustomMessage"] =
        [
            "CustomMessage_SignUp", "CustomMessage_AdminCreateUser", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword",
            "CustomMessage_UpdateUserAttribute", "CustomMessage_VerifyUserAttribute", "CustomMessage_Authentication",
        ],
        ["PostConfirmation"] = ["PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"],
        ["PreAuthentication"] = ["PreAuthentication_Authentication"],
        ["PostAuthentication"] = ["PostAuthentication_Authentication"],
        ["DefineAuthChallenge"] = ["DefineAuthChallenge_Authentication"],
        ["CreateAuthChallenge"] = ["CreateAuthChallenge_Authentication"],
        ["VerifyAuthChallengeResponse"] = ["VerifyAuthChallengeResponse_Authentication"],
        ["PreTokenGeneration"] =
        [
            "TokenGeneration_Authentication", "TokenGeneration_HostedAuth", "TokenGeneration_NewPasswordChallenge",
            "TokenGeneration_AuthenticateDevice", "TokenGeneration_RefreshTokens",
        ],
        ["UserMigration"] = ["UserMigration_Authentication", "UserMigration_ForgotPassword"],
    };

    /// <summary>A sample event for the source, as Cognito would send it for a user "jane.doe".</summary>
    public static JsonObject Sample(string poolId, string trigger, string? source, string version)
    {
        var sources = Sources[trigger];
        source ??= sources[0];
        if (!sources.Contains(source))
            throw new InvalidParameterException($"TriggerSource of {trigger} must be one of: {string.Join(", ", sources)}.");
        var attributes = new JsonObject
        {
            ["sub"] = "7d8ca528-4931-4254-9273-ea5ee853f271", ["email"] = "jane.doe@example.com", ["email_verified"] = "true",
            ["name"] = "Jane Doe", ["cognito:user_status"] = UserStatus.Confirmed,
        };
        JsonObject Attributes() => attributes.DeepClone().AsObject();
        var challengeSession = new JsonArray();
        (JsonObject request, JsonObject response) = trigger switch
        {
            "PreSignUp" => (new JsonObject
            {
                ["userAttributes"] = new JsonObject { ["email"] = "jane.doe@example.com", ["name"] = "Jane Doe" },
                ["validationData"] = new JsonObject(), ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["autoConfirmUser"] = false, ["autoVerifyPhone"] = false, ["autoVerifyEmail"] = false }),
            "CustomMessage" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["codeParameter"] = "{####}", ["linkParameter"] = "{##Click Here##}",
                ["usernameParameter"] = source == "CustomMessage_AdminCreateUser" ? "{username}" : null, ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["smsMessage"] = null, ["emailMessage"] = null, ["emailSubject"] = null }),
            "PostConfirmation" => (new JsonObject { ["userAttributes"] = Attributes(), ["clientMetadata"] = new JsonObject() }, new JsonObject()),
            "PreAuthentication" => (new JsonObject { ["userAttributes"] = Attributes(), ["validationData"] = new JsonObject() }, new JsonObject()),
            "PostAuthentication" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["newDeviceUsed"] = false, ["clientMetadata"] = new JsonObject(),
            }, new JsonObject()),
            "DefineAuthChallenge" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["session"] = challengeSession, ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["challengeName"] = null, ["issueTokens"] = null, ["failAuthentication"] = null }),
            "CreateAuthChallenge" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["challengeName"] = "CUSTOM_CHALLENGE", ["session"] = challengeSession,
                ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["publicChallengeParameters"] = null, ["privateChallengeParameters"] = null, ["challengeMetadata"] = null }),
            "VerifyAuthChallengeResponse" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["privateChallengeParameters"] = new JsonObject { ["answer"] = "5" },
                ["challengeAnswer"] = "5", ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["answerCorrect"] = null }),
            "PreTokenGeneration" when version is "V2_0" or "V3_0" => (new JsonObject
            {
                ["userAttributes"] = Attributes(), ["scopes"] = new JsonArray("aws.cognito.signin.user.admin"),
                ["groupConfiguration"] = new JsonObject { ["groupsToOverride"] = new JsonArray(), ["iamRolesToOverride"] = new JsonArray(), ["preferredRole"] = null },
                ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["claimsAndScopeOverrideDetails"] = null }),
            "PreTokenGeneration" => (new JsonObject
            {
                ["userAttributes"] = Attributes(),
                ["groupConfiguration"] = new JsonObject { ["groupsToOverride"] = new JsonArray(), ["iamRolesToOverride"] = new JsonArray(), ["preferredRole"] = null },
                ["clientMetadata"] = new JsonObject(),
            }, new JsonObject { ["claimsOverrideDetails"] = null }),
            "UserMigration" => (source == "UserMigration_Authentication"
                ? new JsonObject { ["password"] = "***", ["validationData"] = new JsonObject(), ["clientMetadata"] = new JsonObject() }
                : new JsonObject { ["validationData"] = new JsonObject(), ["clientMetadata"] = new JsonObject() },
                new JsonObject
                {
                    ["userAttributes"] = null, ["forceAliasCreation"] = null, ["enableSMSMFA"] = null, ["finalUserStatus"] = null,
                    ["messageAction"] = null, ["desiredDeliveryMediums"] = null,
                }),
            _ => throw InvalidParameterException.UnknownTrigger(trigger),
        };
        var eventVersion = trigger == "PreTokenGeneration" ? version switch { "V2_0" => "2", "V3_0" => "3", _ => "1" } : "1";
        return UserTriggers.Envelope(poolId, eventVersion, source, "jane.doe", "1example23456789", "aws-sdk-unknown-unknown", request, response);
    }
}
