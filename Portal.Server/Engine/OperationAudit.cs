using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server.Storage;

namespace Portal.Server.Engine;

/// <summary>
/// The audit behaviour: which operations the audit log records and how. Every state-changing operation sent by the
/// portal (the operator) or over the wire (the access key id that signed it) is recorded in the operation's own
/// transaction, so an entry exists exactly when the change does. Not recorded: reads (Describe*, List*, Get*), the
/// end users' public operations (sign-in, sign-up, their own profile: Cognito records those as the user's auth events,
/// and they would bury the operators' changes), branding previews, and what the server does on its own.
/// </summary>
public static class OperationAudit
{
    // Members whose values are secrets, at any depth: passwords, codes, client and webhook secrets, tokens and sessions,
    // an identity provider's client secret and private key (ProviderDetails keys), uploaded images (only noise).
    static readonly HashSet<string> SecretMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "Password", "TemporaryPassword", "ProposedPassword", "PreviousPassword", "ClientSecret", "SecretHash", "Secret",
        "ConfirmationCode", "UserCode", "SecretCode", "AccessToken", "RefreshToken", "IdToken", "Token", "Session", "FeedbackToken",
        "AuthParameters", "ChallengeResponses", "client_secret", "private_key", "ImageFile", "BackgroundImageFile",
        "Logins", // identity pools: provider → token (developer user ids too, kept out alike)
        "PreSignedUrl", // a user import job's upload link: its token is the permission
        "CsvFile", // a user import file: personal data of every user in it
    };

    // Previews change nothing an operator could undo: auditing every keystroke of the branding editor would bury the log.
    // A server-side app's sign-ins are its users' sign-ins: recorded as their auth events, like the public flows.
    // Devices' Cognito Sync writes are the end users' own data, like their profile edits: not the operators' log.
    static readonly HashSet<string> NotAudited = ["CreateBrandingPreview", "AdminInitiateAuth", "AdminRespondToAuthChallenge", "UpdateRecords"];

    public static bool Audited(Type requestType, Caller? caller)
    {
        if (caller is null) return false;
        var name = Operations.NameOf(requestType);
        if (OperatorRoles.Needed(requestType) == OperatorRoles.Viewer || NotAudited.Contains(name)) return false;
        return caller.FromPortal || !Operations.IsUnsigned(requestType);
    }

    public static AuditEntryRow Entry(Caller caller, string action, object request, object? response, DateTimeOffset at, string? target = null)
    {
        var json = WithoutSecrets(JsonSerializer.SerializeToNode(request, request.GetType(), CognitoJson.Options)!.AsObject());
        var before = caller.Before is null ? null : WithoutSecrets(JsonSerializer.SerializeToNode(caller.Before, caller.Before.GetType(), CognitoJson.Options));
        return new AuditEntryRow
        {
            At = at,
            Actor = caller.Actor,
            Action = action,
            // A creation names its pool only in the response.
            UserPoolId = Text(json, "UserPoolId") ?? (response as CreateUserPoolResponse)?.UserPool?.Id,
            Target = target ?? Text(json, "Username") ?? Text(json, "GroupName") ?? Text(json, "ClientId") ?? Text(json, "PoolName")
                     ?? Text(json, "Identifier") ?? Text(json, "ClientName") ?? Text(json, "ProviderName")
                     ?? Text(json, "OpenIDConnectProviderArn") ?? Text(json, "SAMLProviderArn") ?? Text(json, "RoleName"),
            Before = before?.ToJsonString(),
            After = json.ToJsonString(),
        };
    }

    static string? Text(JsonObject json, string member) => json[member] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The node with every secret member, at any depth, replaced by "***".</summary>
    public static T WithoutSecrets<T>(T node) where T : JsonNode?
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (SecretMembers.Contains(key) && value is not null) o[key] = "***";
                    else WithoutSecrets(value);
                break;
            case JsonArray a:
                foreach (var item in a) WithoutSecrets(item);
                break;
        }
        return node;
    }
}
