using System.Text.Json;
using Portal.Client.Contract;
using Portal.Client.Security;

namespace Portal.Client.Components;

/// <summary>What the app client editor shows, for a new client or an existing one; its sections edit it and the page
/// sends it as CreateUserPoolClient or UpdateUserPoolClient.</summary>
public sealed class AppClientForm
{
    public const string CognitoProvider = "COGNITO";

    /// <summary>The fields an error can be shown next to.</summary>
    public static readonly string[] Fields =
    [
        "ClientName", "ExplicitAuthFlows", "AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity", "AuthSessionValidity",
        "CallbackURLs", "LogoutURLs", "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes", "ReadAttributes", "WriteAttributes",
    ];

    public sealed class TokenValidity(string key, string label, string field, int value, string unit)
    {
        public string Key { get; } = key;
        public string Label { get; } = label;
        public string Field { get; } = field;
        public int Value { get; set; } = value;
        public string Unit { get; set; } = unit;

        public int Seconds => Unit switch { "seconds" => Value, "minutes" => Value * 60, "hours" => Value * 3600, _ => Value * 86400 };
    }

    public string? Name { get; set; }
    public string? DefaultRedirect { get; set; }
    public bool HasSecret { get; set; }
    public bool SecretHidden { get; set; }
    public bool GenerateSecret { get; set; }
    public bool OAuthEnabled { get; set; }
    public bool PreventExistenceErrors { get; set; } = true;
    public bool TokenRevocation { get; set; } = true;
    public bool Rotation { get; set; }
    public int RotationGrace { get; set; }
    public int AuthSession { get; set; } = 3;
    public List<TokenValidity> Tokens { get; private set; } = [];
    public HashSet<string> AuthFlows { get; private set; } = [];
    public HashSet<string> OAuthFlows { get; private set; } = [];
    public HashSet<string> Scopes { get; private set; } = [];
    public HashSet<string> Providers { get; private set; } = [];
    public HashSet<string> ReadAttributes { get; private set; } = [];
    public HashSet<string> WriteAttributes { get; private set; } = [];
    public List<string> Callbacks { get; set; } = [];
    public List<string> Logouts { get; set; } = [];
    /// <summary>The pool's attributes an app client may read or write (developer-only ones left out).</summary>
    public List<SchemaAttributeType> Attributes { get; set; } = [];
    /// <summary>The scopes of the pool's resource servers, as "identifier/scope".</summary>
    public List<string> ServerScopes { get; set; } = [];
    public Dictionary<string, string> Errors { get; set; } = [];

    static readonly string[] StandardScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];

    public IEnumerable<string> AvailableScopes => StandardScopes.Concat(ServerScopes).Concat(Scopes.Except(StandardScopes).Except(ServerScopes));

    public static bool Writable(SchemaAttributeType a) =>
        a.Mutable != false && a.Name is not ("sub" or "email_verified" or "phone_number_verified" or "identities");

    public static void Toggle(HashSet<string> set, string value, bool on)
    {
        if (on) set.Add(value); else set.Remove(value);
    }

    /// <summary>A new client's defaults.</summary>
    public void FillNew()
    {
        Name = null;
        GenerateSecret = false;
        AuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
        Tokens =
        [
            new("access", "Access token", "AccessTokenValidity", 60, "minutes"),
            new("id", "ID token", "IdTokenValidity", 60, "minutes"),
            new("refresh", "Refresh token", "RefreshTokenValidity", 30, "days"),
        ];
        AuthSession = 3;
        PreventExistenceErrors = true;
        TokenRevocation = true;
        Rotation = false;
        RotationGrace = 0;
        OAuthEnabled = false;
        Callbacks = [];
        Logouts = [];
        DefaultRedirect = null;
        OAuthFlows = ["code"];
        Scopes = ["openid", "email", "profile"];
        Providers = [CognitoProvider];
        ReadAttributes = Attributes.Select(a => a.Name!).ToHashSet();
        WriteAttributes = Attributes.Where(Writable).Select(a => a.Name!).ToHashSet();
    }

    /// <summary>An existing client's settings.</summary>
    public void Fill(UserPoolClientType c)
    {
        Name = c.ClientName;
        HasSecret = c.ClientSecret is not null;
        SecretHidden = c.ClientSecret == OperatorRoles.HiddenSecret;
        AuthFlows = (c.ExplicitAuthFlows ?? []).ToHashSet();
        var units = c.TokenValidityUnits;
        Tokens =
        [
            new("access", "Access token", "AccessTokenValidity", c.AccessTokenValidity ?? 60, units?.AccessToken ?? (c.AccessTokenValidity is null ? "minutes" : "hours")),
            new("id", "ID token", "IdTokenValidity", c.IdTokenValidity ?? 60, units?.IdToken ?? (c.IdTokenValidity is null ? "minutes" : "hours")),
            new("refresh", "Refresh token", "RefreshTokenValidity", c.RefreshTokenValidity ?? 30, units?.RefreshToken ?? "days"),
        ];
        AuthSession = c.AuthSessionValidity ?? 3;
        PreventExistenceErrors = c.PreventUserExistenceErrors != "LEGACY";
        TokenRevocation = c.EnableTokenRevocation != false;
        Rotation = c.RefreshTokenRotation?.Feature == "ENABLED";
        RotationGrace = c.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0;
        OAuthEnabled = c.AllowedOAuthFlowsUserPoolClient == true;
        Callbacks = c.CallbackURLs?.ToList() ?? [];
        Logouts = c.LogoutURLs?.ToList() ?? [];
        DefaultRedirect = c.DefaultRedirectURI;
        OAuthFlows = (c.AllowedOAuthFlows ?? []).ToHashSet();
        Scopes = (c.AllowedOAuthScopes ?? []).ToHashSet();
        Providers = (c.SupportedIdentityProviders ?? []).ToHashSet();
        ReadAttributes = (c.ReadAttributes ?? []).ToHashSet();
        WriteAttributes = (c.WriteAttributes ?? []).ToHashSet();
    }

    /// <summary>What the form can tell before asking the engine.</summary>
    public Dictionary<string, string> Check()
    {
        var found = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name)) found["ClientName"] = "Client name is required.";
        if (AuthFlows.Count == 0) found["ExplicitAuthFlows"] = "Allow at least one authentication flow.";
        foreach (var t in Tokens)
        {
            var (min, max) = t.Key == "refresh" ? (3600, 315360000) : (300, 86400);
            if (t.Value < 1 || t.Seconds < min || t.Seconds > max)
                found[t.Field] = t.Key == "refresh" ? "Between 60 minutes and 3650 days." : "Between 5 minutes and 1 day.";
        }
        if (AuthSession is < 3 or > 15) found["AuthSessionValidity"] = "Between 3 and 15 minutes.";
        if (OAuthEnabled)
        {
            if (OAuthFlows.Count == 0) found["AllowedOAuthFlows"] = "Choose at least one grant type.";
            if (Scopes.Count == 0) found["AllowedOAuthScopes"] = "Choose at least one scope.";
            if (OAuthFlows.Overlaps(["code", "implicit"]) && Callbacks.Count == 0) found["CallbackURLs"] = "The code and implicit grants need a callback URL.";
            if (OAuthFlows.Contains("client_credentials") && OAuthFlows.Count > 1)
                found["AllowedOAuthFlows"] = "Client credentials cannot be combined with the code or implicit grants.";
        }
        if (!WriteAttributes.IsSubsetOf(ReadAttributes)) found["Attributes"] = "An attribute the client writes must also be readable by it.";
        return found;
    }

    /// <summary>The field an engine error belongs to (read and write permissions share one).</summary>
    public static string? FieldOf(CognitoException e)
    {
        var field = e switch
        {
            ScopeDoesNotExistException => "AllowedOAuthScopes",
            InvalidOAuthFlowException => "AllowedOAuthFlows",
            _ => CognitoErrors.FieldOf(e, Fields),
        };
        return field is "ReadAttributes" or "WriteAttributes" ? "Attributes" : field;
    }

    static List<string>? OrNull(IEnumerable<string> items) => items.Any() ? items.ToList() : null;

    TokenValidityUnitsType Units() => new() { AccessToken = Tokens[0].Unit, IdToken = Tokens[1].Unit, RefreshToken = Tokens[2].Unit };

    // Off is sent as DISABLED: UpdateUserPoolClient resets what it is not given, and Describe then shows the choice.
    RefreshTokenRotationType RotationRequest() => new() { Feature = Rotation ? "ENABLED" : "DISABLED", RetryGracePeriodSeconds = Rotation ? RotationGrace : null };

    public CreateUserPoolClientRequest CreateRequest(string pool) => new()
    {
        UserPoolId = pool, ClientName = Name!.Trim(), GenerateSecret = GenerateSecret,
        ExplicitAuthFlows = AuthFlows.ToList(),
        AccessTokenValidity = Tokens[0].Value, IdTokenValidity = Tokens[1].Value, RefreshTokenValidity = Tokens[2].Value, TokenValidityUnits = Units(),
        AuthSessionValidity = AuthSession,
        PreventUserExistenceErrors = PreventExistenceErrors ? "ENABLED" : "LEGACY", EnableTokenRevocation = TokenRevocation,
        AllowedOAuthFlowsUserPoolClient = OAuthEnabled,
        CallbackURLs = OrNull(Callbacks), LogoutURLs = OrNull(Logouts), DefaultRedirectURI = DefaultRedirect,
        AllowedOAuthFlows = OAuthEnabled ? OrNull(OAuthFlows) : null, AllowedOAuthScopes = OAuthEnabled ? OrNull(Scopes) : null,
        SupportedIdentityProviders = OrNull(Providers),
        ReadAttributes = OrNull(ReadAttributes), WriteAttributes = OrNull(WriteAttributes),
        RefreshTokenRotation = RotationRequest(),
    };

    /// <summary>The update for <paramref name="existing"/>: the settings of <see cref="CreateRequest"/> (AWS's two shapes
    /// name them alike, so the update is read from the create request's JSON; GenerateSecret has no place in it), and the
    /// settings this form does not show kept as they are, since UpdateUserPoolClient resets what it is not given.</summary>
    public UpdateUserPoolClientRequest UpdateRequest(string pool, string? clientId, UserPoolClientType? existing) =>
        JsonSerializer.Deserialize<UpdateUserPoolClientRequest>(JsonSerializer.SerializeToUtf8Bytes(CreateRequest(pool), CognitoJson.Options),
            CognitoJson.Options)! with
        {
            ClientId = clientId,
            AnalyticsConfiguration = existing?.AnalyticsConfiguration,
            EnablePropagateAdditionalUserContextData = existing?.EnablePropagateAdditionalUserContextData,
        };
}
