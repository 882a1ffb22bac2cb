using Portal.Client.Contract;

namespace Portal.Server.Storage;

// Rows of the one store. Settings that are only read whole (policies, schema, client flows) are
// JSON documents of the contract's shapes; everything searched or joined on is a column.

public sealed class UserPoolRow
{
    public required string Id { get; set; }              // us-east-1_XXXXXXXXX
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public bool DeletionProtection { get; set; }
    public string Settings { get; set; } = "{}";          // JSON: the pool's UserPoolType settings
    public string Tags { get; set; } = "{}";              // JSON object of tag key → value
    public bool UsernameCaseSensitive { get; set; }
    public long Version { get; set; }                     // optimistic concurrency for settings edits
}

public sealed class AppClientRow
{
    public required string ClientId { get; set; }        // 26 lowercase alphanumerics
    public required string UserPoolId { get; set; }
    public required string ClientName { get; set; }
    public string? ClientSecret { get; set; }            // the oldest of the client's secrets (the one DescribeUserPoolClient shows)
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public string Settings { get; set; } = "{}";          // JSON: UserPoolClientType settings
    // Secret rotation (AddUserPoolClientSecret): at most two secrets, both valid. Ids are null for a secret made with
    // the client (its id then derives from CreatedAt).
    public string? ClientSecretId { get; set; }
    public DateTimeOffset? ClientSecretCreatedAt { get; set; }
    public string? SecondClientSecret { get; set; }
    public string? SecondClientSecretId { get; set; }
    public DateTimeOffset? SecondClientSecretCreatedAt { get; set; }
}

/// <summary>A terms document (terms of use or privacy policy) of an app client: links per language (CreateTerms).</summary>
public sealed class TermsRow
{
    public required string TermsId { get; set; }          // UUID v4
    public required string UserPoolId { get; set; }
    public required string ClientId { get; set; }
    public required string TermsName { get; set; }        // terms-of-use | privacy-policy; unique per client
    public string TermsSource { get; set; } = "LINK";
    public string Enforcement { get; set; } = "NONE";
    public string Links { get; set; } = "{}";             // JSON: cognito:{language} → URL
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
}

public sealed class UserPoolDomainRow
{
    public required string Domain { get; set; }
    public required string UserPoolId { get; set; }
    public string Settings { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ResourceServerRow
{
    public required string UserPoolId { get; set; }
    public required string Identifier { get; set; }
    public required string Name { get; set; }
    public string Scopes { get; set; } = "[]";            // JSON: [{ScopeName, ScopeDescription}]
}

public sealed class UserRow
{
    public required string Sub { get; set; }             // UUID, primary key
    public required string UserPoolId { get; set; }
    public required string Username { get; set; }        // as created
    public required string UsernameKey { get; set; }     // lower-cased unless the pool is case sensitive
    public string Status { get; set; } = UserStatus.Unconfirmed;  // cognito:user_status
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    // The searchable attributes of ListUsers, as indexed columns.
    public string? Email { get; set; }
    public bool EmailVerified { get; set; }
    public string? PhoneNumber { get; set; }
    public bool PhoneNumberVerified { get; set; }
    public string? Name { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? PreferredUsername { get; set; }
    // The email and phone number while they are sign-in identifiers of the pool (a username attribute, or a verified
    // alias), normalized; null otherwise. Unique per pool: the database decides races (see PortalDb.SignInKeys).
    public string? EmailKey { get; set; }
    public string? PhoneKey { get; set; }
    // The preferred_username while it is an alias of the pool (Cognito: unique, as given); null otherwise. Unique per pool.
    public string? PreferredUsernameKey { get; set; }
    public string Attributes { get; set; } = "{}";        // JSON object: every attribute name → value
    public string? PasswordHash { get; set; }
    public DateTimeOffset? PasswordChangedAt { get; set; }
    public string? SrpVerifier { get; set; }            // "saltHex:verifierHex" for USER_SRP_AUTH
    public string Mfa { get; set; } = "{}";               // JSON: MFA settings and secrets
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? TokensValidAfter { get; set; } // global sign-out: tokens issued before are dead
    // Threat protection: the password was last found in a breached-password list (kept so SRP sign-ins act on it too).
    public DateTimeOffset? CompromisedCredentialsAt { get; set; }
    public string? CompromisedCredentialsSource { get; set; }  // "range API", "offline corpus (range API unreachable)"
}

public sealed class GroupRow
{
    public required string UserPoolId { get; set; }
    public required string GroupName { get; set; }
    public string? Description { get; set; }
    public int? Precedence { get; set; }
    public string? RoleArn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
}

public sealed class GroupMemberRow
{
    public required string UserPoolId { get; set; }
    public required string GroupName { get; set; }
    public required string UserSub { get; set; }
}

/// <summary>A one-time code (sign-up, forgot-password, attribute verification, MFA), stored hashed.</summary>
public sealed class CodeRow
{
    public Guid Id { get; set; }
    public required string UserPoolId { get; set; }
    public required string UserSub { get; set; }
    public required string Purpose { get; set; }         // SignUp, ForgotPassword, Verify:email, ...
    public required string CodeHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int FailedAttempts { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>An auth flow between challenges (the Session of InitiateAuth / RespondToAuthChallenge).</summary>
public sealed class AuthSessionRow
{
    public required string Id { get; set; }              // hash of the opaque Session value
    public required string UserPoolId { get; set; }
    public required string ClientId { get; set; }
    public string? UserSub { get; set; }
    public required string ChallengeName { get; set; }
    public string State { get; set; } = "{}";             // JSON: flow-specific state (SRP b, B, ...)
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class RefreshTokenRow
{
    public required string TokenHash { get; set; }
    public required string UserPoolId { get; set; }
    public required string ClientId { get; set; }
    public required string UserSub { get; set; }
    public required string OriginJti { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>When refresh token rotation replaced this token (it then dies at RevokedAt, the end of the grace period).</summary>
    public DateTimeOffset? RotatedAt { get; set; }
    /// <summary>The device the sign-in that issued this token was on (forgetting the device revokes it).</summary>
    public string? DeviceKey { get; set; }
}

/// <summary>Revoked access-token families (origin_jti), checked by GetUser-style calls.</summary>
public sealed class RevokedTokenRow
{
    public required string OriginJti { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

public sealed class SigningKeyRow
{
    public required string Kid { get; set; }
    public required string UserPoolId { get; set; }
    public required string PrivateKey { get; set; }      // PKCS#8, protected with Data Protection
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }       // no longer signs; still published until tokens expire
}

/// <summary>Every message Portal sends (or would send), for the portal's outbox and for tests.</summary>
public sealed class OutboxMessageRow
{
    public Guid Id { get; set; }
    public string? UserPoolId { get; set; }
    public required string Channel { get; set; }         // EMAIL or SMS
    public required string Destination { get; set; }
    public string? Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string DeliveryStatus { get; set; } = "Recorded"; // Recorded, Sent, Failed: reason
    // Testing mode's mailbox: why it was sent (MessageKinds), the code or temporary password and any link in it, and to whom.
    public string? Kind { get; set; }
    public string? Code { get; set; }
    public string? Link { get; set; }
    public string? Username { get; set; }
}

/// <summary>The kinds of message testing mode's mailbox filters on.</summary>
public static class MessageKinds
{
    public const string SignUp = "sign-up";
    public const string ForgotPassword = "forgot-password";
    public const string Mfa = "mfa";
    public const string Invitation = "invitation";
    public const string AttributeVerification = "attribute-verification";
    public static readonly IReadOnlyList<string> All = [SignUp, ForgotPassword, Mfa, Invitation, AttributeVerification];
}

public sealed class AuditEntryRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? UserPoolId { get; set; }
    public string? Target { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>Key/value rows for small process-wide facts (e.g. the bootstrap having run).</summary>
public sealed class SettingRow
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>Hosted-UI customization for a pool's client, or for ALL clients (ClientId "ALL").</summary>
public sealed class UiCustomizationRow
{
    public required string UserPoolId { get; set; }
    public required string ClientId { get; set; }
    public string? Css { get; set; }
    public string? ImageKey { get; set; }                // blob-store key of the logo
    public string Theme { get; set; } = "{}";             // JSON: Portal's theme beyond Cognito (colours, font, texts...)
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    // Managed login branding (CreateManagedLoginBranding) of the same client: its id, its settings document and assets as
    // written (so a describe returns what was set), mapped onto Theme, Css and ImageKey for the hosted UI.
    public string? ManagedLoginBrandingId { get; set; }
    public bool UseCognitoProvidedValues { get; set; }
    public string? BrandingSettings { get; set; }         // JSON document
    public string? BrandingAssets { get; set; }           // JSON: [{Category, ColorMode, Extension, ResourceId, Key}]
    public string? LastWrittenBy { get; set; }            // the operation that last wrote this branding
}

/// <summary>An OAuth 2.0 authorization code between /oauth2/authorize and /oauth2/token, stored hashed.</summary>
public sealed class AuthorizationCodeRow
{
    public required string CodeHash { get; set; }
    public required string UserPoolId { get; set; }
    public required string ClientId { get; set; }
    public required string UserSub { get; set; }
    public required string RedirectUri { get; set; }
    public string Scopes { get; set; } = "";
    public string? Nonce { get; set; }
    public string? CodeChallenge { get; set; }
    public string? CodeChallengeMethod { get; set; }
    public DateTimeOffset AuthTime { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string State { get; set; } = "{}";             // JSON: anything else the token endpoint needs (e.g. identities)
    public string? OriginJti { get; set; }                // the token family its redemption issues; "revoked" once a replay revoked it
}

/// <summary>A federated identity provider of a pool (Google, Facebook, LoginWithAmazon, SignInWithApple, OIDC, SAML).</summary>
public sealed class IdentityProviderRow
{
    public required string UserPoolId { get; set; }
    public required string ProviderName { get; set; }
    public required string ProviderType { get; set; }
    public string ProviderDetails { get; set; } = "{}";   // JSON map, as Cognito's ProviderDetails
    public string AttributeMapping { get; set; } = "{}";  // JSON map: pool attribute → provider attribute
    public string IdpIdentifiers { get; set; } = "[]";    // JSON list
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
}

/// <summary>A federated identity linked to a pool user (AdminLinkProviderForUser, or created on first sign-in).</summary>
public sealed class LinkedIdentityRow
{
    public required string UserPoolId { get; set; }
    public required string ProviderName { get; set; }
    public required string ProviderUserId { get; set; }
    public required string UserSub { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Single-use values seen before (SAML assertion ids, OAuth state/nonce) until they expire.</summary>
public sealed class ReplayGuardRow
{
    public required string Key { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A rate-limit counter every instance increments in place: its current fixed window and the count in it.</summary>
public sealed class RateLimitCounterRow
{
    public required string Key { get; set; }         // "pool:{poolId}:{category}", "codes:{poolId}:{username}"
    public long Window { get; set; }                  // window number: unix seconds / window length
    public int Count { get; set; }
}

/// <summary>One trigger invocation: what was sent, what came back, how long it took.</summary>
public sealed class TriggerInvocationRow
{
    public Guid Id { get; set; }
    public required string UserPoolId { get; set; }
    public required string Trigger { get; set; }         // PreSignUp, PostConfirmation, ...
    public required string TriggerSource { get; set; }
    public string? UserName { get; set; }
    public required string Target { get; set; }          // inline:..., https://..., arn:aws:lambda:...
    public DateTimeOffset StartedAt { get; set; }
    public double DurationMs { get; set; }
    public required string Outcome { get; set; }         // Succeeded, Failed, TimedOut
    public string Event { get; set; } = "{}";             // redacted JSON
    public string? Response { get; set; }                // redacted JSON
    public string? Logs { get; set; }
    public string? Error { get; set; }
}

/// <summary>One authentication event of a user (AdminListUserAuthEvents): sign-in, sign-up, password reset or change,
/// code resend; recorded for pools with threat protection (AdvancedSecurityMode AUDIT or ENFORCED).</summary>
public sealed class AuthEventRow
{
    public required string EventId { get; set; }        // UUID
    public required string UserPoolId { get; set; }
    public required string UserSub { get; set; }
    public required string EventType { get; set; }      // SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode
    public required string EventResponse { get; set; }  // Pass, Fail, InProgress
    public DateTimeOffset CreatedAt { get; set; }
    public string? Challenges { get; set; }             // JSON: [{"ChallengeName":"Password","ChallengeResponse":"Success"}]
    public string? IpAddress { get; set; }
    public string? DeviceName { get; set; }
    public string? ClientId { get; set; }
    public string? FeedbackValue { get; set; }          // Valid, Invalid (AdminUpdateAuthEventFeedback)
    public string? FeedbackProvider { get; set; }
    public DateTimeOffset? FeedbackAt { get; set; }
    // Threat protection's assessment (EventRisk) and the reasons behind it, in words the portal shows.
    public string? RiskDecision { get; set; }           // NoRisk, AccountTakeover, Block
    public string? RiskLevel { get; set; }              // Low, Medium, High
    public bool CompromisedCredentialsDetected { get; set; }
    public string? RiskReasons { get; set; }            // JSON: ["Password found in breached-password list (source: range API)"]
    // Adaptive authentication: the device and network the event came from (to tell new ones), and the one-use token of
    // the notification's feedback links (SHA-256, hex; cleared once used).
    public string? DeviceKey { get; set; }              // SHA-256 (hex, 32 chars) of the device's fingerprint
    public string? Network { get; set; }                // the address's /24 (IPv4) or /64 (IPv6)
    public string? FeedbackTokenHash { get; set; }
    public DateTimeOffset? FeedbackTokenExpiresAt { get; set; }
}

/// <summary>A pool's or an app client's threat-protection settings (SetRiskConfiguration); ClientId "" is the pool's
/// own, which every client without its own inherits.</summary>
public sealed class RiskConfigurationRow
{
    public required string UserPoolId { get; set; }
    public string ClientId { get; set; } = "";
    public string? CompromisedCredentials { get; set; }  // JSON: CompromisedCredentialsRiskConfigurationType
    public string? AccountTakeover { get; set; }         // JSON: AccountTakeoverRiskConfigurationType
    public string? RiskExceptions { get; set; }          // JSON: RiskExceptionConfigurationType
    public DateTimeOffset LastModifiedAt { get; set; }
}
