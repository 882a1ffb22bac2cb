using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>Checks and defaults of app client settings, shared by create and update. Both take the settings
/// whole: a member left out gets its default, as Cognito documents.</summary>
public sealed class AppClientSettings(PortalDb db, ResourceServers resourceServers)
{
    static readonly string[] LegacyFlows = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];
    static readonly string[] AllowFlows =
        ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"];
    static readonly string[] OAuthFlows = ["code", "implicit", "client_credentials"];
    static readonly string[] DefaultFlows = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];
    static readonly string[] NeverWritable = ["sub", "email_verified", "phone_number_verified"];
    static readonly Dictionary<string, int> Seconds = new() { ["seconds"] = 1, ["minutes"] = 60, ["hours"] = 3600, ["days"] = 86400 };

    public static UserPoolClientType From(CreateUserPoolClientRequest r) => new()
    {
        RefreshTokenValidity = r.RefreshTokenValidity, AccessTokenValidity = r.AccessTokenValidity, IdTokenValidity = r.IdTokenValidity,
        TokenValidityUnits = r.TokenValidityUnits, ReadAttributes = r.ReadAttributes, WriteAttributes = r.WriteAttributes,
        ExplicitAuthFlows = r.ExplicitAuthFlows, SupportedIdentityProviders = r.SupportedIdentityProviders, CallbackURLs = r.CallbackURLs,
        LogoutURLs = r.LogoutURLs, DefaultRedirectURI = r.DefaultRedirectURI, AllowedOAuthFlows = r.AllowedOAuthFlows,
        AllowedOAuthScopes = r.AllowedOAuthScopes, AllowedOAuthFlowsUserPoolClient = r.AllowedOAuthFlowsUserPoolClient,
        AnalyticsConfiguration = r.AnalyticsConfiguration, PreventUserExistenceErrors = r.PreventUserExistenceErrors,
        EnableTokenRevocation = r.EnableTokenRevocation, EnablePropagateAdditionalUserContextData = r.EnablePropagateAdditionalUserContextData,
        AuthSessionValidity = r.AuthSessionValidity, RefreshTokenRotation = r.RefreshTokenRotation,
    };

    public static UserPoolClientType From(UpdateUserPoolClientRequest r) => new()
    {
        RefreshTokenValidity = r.RefreshTokenValidity, AccessTokenValidity = r.AccessTokenValidity, IdTokenValidity = r.IdTokenValidity,
        TokenValidityUnits = r.TokenValidityUnits, ReadAttributes = r.ReadAttributes, WriteAttributes = r.WriteAttributes,
        ExplicitAuthFlows = r.ExplicitAuthFlows, SupportedIdentityProviders = r.SupportedIdentityProviders, CallbackURLs = r.CallbackURLs,
        LogoutURLs = r.LogoutURLs, DefaultRedirectURI = r.DefaultRedirectURI, AllowedOAuthFlows = r.AllowedOAuthFlows,
        AllowedOAuthScopes = r.AllowedOAuthScopes, AllowedOAuthFlowsUserPoolClient = r.AllowedOAuthFlowsUserPoolClient,
        AnalyticsConfiguration = r.AnalyticsConfiguration, PreventUserExistenceErrors = r.PreventUserExistenceErrors,
        EnableTokenRevocation = r.EnableTokenRevocation, EnablePropagateAdditionalUserContextData = r.EnablePropagateAdditionalUserContextData,
        AuthSessionValidity = r.AuthSessionValidity, RefreshTokenRotation = r.RefreshTokenRotation,
    };

    /// <summary>The settings as stored: checked against the pool (schema, identity providers, resource servers) and defaulted.</summary>
    public async Task<UserPoolClientType> Check(UserPoolStore.Pool pool, UserPoolClientType r, bool hasSecret, bool creating, CancellationToken ct)
    {
        var explicitFlows = r.ExplicitAuthFlows is { Count: > 0 } ? r.ExplicitAuthFlows.Distinct().ToList() : DefaultFlows.ToList();
        CheckEnum("explicitAuthFlows", explicitFlows, [.. LegacyFlows, .. AllowFlows]);
        if (explicitFlows.Any(LegacyFlows.Contains) && explicitFlows.Any(AllowFlows.Contains))
            throw new InvalidParameterException("ExplicitAuthFlows can not have both legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) and values that begin with ALLOW_.", "explicitAuthFlows");
        var oauthFlows = r.AllowedOAuthFlows?.Distinct().ToList() ?? [];
        CheckEnum("allowedOAuthFlows", oauthFlows, OAuthFlows);

        var (access, accessUnit) = Validity("AccessTokenValidity", r.AccessTokenValidity, r.TokenValidityUnits?.AccessToken, "hours", 3600, 300, 86400);
        var (id, idUnit) = Validity("IdTokenValidity", r.IdTokenValidity, r.TokenValidityUnits?.IdToken, "hours", 3600, 300, 86400);
        var (refresh, refreshUnit) = Validity("RefreshTokenValidity", r.RefreshTokenValidity is 0 ? null : r.RefreshTokenValidity,
            r.TokenValidityUnits?.RefreshToken, "days", 30 * 86400, 3600, 315360000);

        var verb = creating ? "creating" : "updating";
        var schema = pool.Settings.SchemaAttributes ?? Schema.Standard.ToList();
        foreach (var a in r.ReadAttributes ?? [])
            if (!schema.Any(s => s.Name == a))
                throw new InvalidParameterException($"Invalid read attributes specified while {verb} a client", "readAttributes");
        foreach (var a in r.WriteAttributes ?? [])
            if (NeverWritable.Contains(a) || !schema.Any(s => s.Name == a))
                throw new InvalidParameterException($"Invalid write attributes specified while {verb} a client", "writeAttributes");

        var providers = r.SupportedIdentityProviders?.Distinct().ToList();
        if (providers?.Any(p => p != "COGNITO") == true)
        {
            var known = await db.IdentityProviders.AsNoTracking().Where(p => p.UserPoolId == pool.Row.Id).Select(p => p.ProviderName).ToListAsync(ct);
            foreach (var p in providers.Where(p => p != "COGNITO" && !known.Contains(p)))
                throw new InvalidParameterException($"The provider {p} does not exist for User Pool {pool.Row.Id}", "supportedIdentityProviders");
        }

        foreach (var url in (r.CallbackURLs ?? []).Concat(r.LogoutURLs ?? [])) CheckUrl(url);
        if (r.DefaultRedirectURI is not null)
        {
            CheckUrl(r.DefaultRedirectURI);
            if (r.CallbackURLs?.Contains(r.DefaultRedirectURI) != true)
                throw new InvalidParameterException($"The default redirect URI {r.DefaultRedirectURI} is not in the callback URIs list.", "defaultRedirectURI");
        }

        var scopes = r.AllowedOAuthScopes?.Distinct().ToList() ?? [];
        var oauth = r.AllowedOAuthFlowsUserPoolClient ?? false;
        if (oauthFlows.Count > 0 && !oauth)
            throw new InvalidOAuthFlowException("AllowedOAuthFlows can only be set when AllowedOAuthFlowsUserPoolClient is true.");
        if (oauth && (oauthFlows.Count == 0 || scopes.Count == 0))
            throw new InvalidOAuthFlowException("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.");
        if (oauthFlows.Contains("client_credentials"))
        {
            if (oauthFlows.Count > 1)
                throw new InvalidOAuthFlowException("client_credentials flow can not be selected along with code flow or implicit flow.");
            if (!hasSecret)
                throw new InvalidOAuthFlowException("client_credentials flow can not be selected if client does not have a client secret.");
            if (scopes.FirstOrDefault(ResourceServers.StandardScopes.Contains) is { } standard)
                throw new InvalidOAuthFlowException($"{standard} is not supported with client_credentials flow.");
        }
        else if (oauthFlows.Count > 0 && r.CallbackURLs is not { Count: > 0 })
            throw new InvalidParameterException("CallbackUrls can not be empty when code flow or implicit flow is selected.", "callbackURLs");
        var custom = scopes.Where(s => !ResourceServers.StandardScopes.Contains(s)).ToList();
        if (custom.Count > 0)
        {
            var known = await resourceServers.CustomScopes(pool.Row.Id, ct);
            if (custom.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
                throw new ScopeDoesNotExistException($"Invalid scope requested: {unknown}");
        }

        if (r.EnablePropagateAdditionalUserContextData == true && !hasSecret)
            throw new InvalidParameterException("EnablePropagateAdditionalUserContextData can only be activated for an app client with a client secret.", "enablePropagateAdditionalUserContextData");
        if (r.AnalyticsConfiguration is { ApplicationArn: null } analytics && (analytics.ApplicationId is null || analytics.RoleArn is null || analytics.ExternalId is null))
            throw new InvalidParameterException("Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid", "analyticsConfiguration");

        return new UserPoolClientType
        {
            RefreshTokenValidity = refresh,
            AccessTokenValidity = access,
            IdTokenValidity = id,
            TokenValidityUnits = new TokenValidityUnitsType { AccessToken = accessUnit, IdToken = idUnit, RefreshToken = refreshUnit },
            ReadAttributes = r.ReadAttributes?.Distinct().ToList(),
            WriteAttributes = r.WriteAttributes?.Distinct().ToList(),
            ExplicitAuthFlows = explicitFlows,
            SupportedIdentityProviders = providers,
            CallbackURLs = r.CallbackURLs?.Distinct().ToList(),
            LogoutURLs = r.LogoutURLs?.Distinct().ToList(),
            DefaultRedirectURI = r.DefaultRedirectURI,
            AllowedOAuthFlows = r.AllowedOAuthFlows is null ? null : oauthFlows,
            AllowedOAuthScopes = r.AllowedOAuthScopes is null ? null : scopes,
            AllowedOAuthFlowsUserPoolClient = oauth,
            AnalyticsConfiguration = r.AnalyticsConfiguration,
            // Cognito's API default (its console preselects ENABLED, as the portal's form does).
            PreventUserExistenceErrors = r.PreventUserExistenceErrors ?? "LEGACY",
            EnableTokenRevocation = r.EnableTokenRevocation ?? true,
            EnablePropagateAdditionalUserContextData = r.EnablePropagateAdditionalUserContextData ?? false,
            AuthSessionValidity = r.AuthSessionValidity ?? 3,
            RefreshTokenRotation = r.RefreshTokenRotation,
        };
    }

    static void CheckEnum(string member, List<string> values, string[] allowed)
    {
        if (values.Any(v => !allowed.Contains(v)))
            throw new InvalidParameterException(
                $"1 validation error detected: Value '[{string.Join(", ", values)}]' at '{member}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", allowed)}]]", member);
    }

    /// <summary>A validity and its unit (the API's default units are hours for access and ID tokens, days for refresh
    /// tokens); unset, the default duration in the unit asked for, or in minutes/days when it does not divide.</summary>
    static (int Value, string Unit) Validity(string member, int? value, string? unit, string defaultUnit, int defaultSeconds, int min, int max)
    {
        if (value is null)
        {
            var wanted = unit ?? (defaultSeconds % 86400 == 0 ? "days" : "minutes");
            return defaultSeconds % Seconds[wanted] == 0 ? (defaultSeconds / Seconds[wanted], wanted)
                : defaultSeconds % 86400 == 0 ? (defaultSeconds / 86400, "days") : (defaultSeconds / 60, "minutes");
        }
        unit ??= defaultUnit;
        var seconds = (long)value.Value * Seconds[unit];
        if (seconds < min || seconds > max)
            throw new InvalidParameterException(
                $"Invalid range for token validity. {member} is {value} {unit}; it must be between {Describe(min)} and {Describe(max)}.", char.ToLowerInvariant(member[0]) + member[1..]);
        return (value.Value, unit);
    }

    static string Describe(int seconds) => seconds switch
    {
        315360000 => "10 years",
        >= 86400 when seconds % 86400 == 0 => seconds == 86400 ? "1 day" : $"{seconds / 86400} days",
        _ => $"{seconds / 60} minutes",
    };

    /// <summary>Absolute, no fragment, HTTPS except for http://localhost, 127.0.0.1 and [::1]; app schemes (myapp://) are fine.</summary>
    static void CheckUrl(string url)
    {
        // An explicit scheme first: on Unix, Uri would read "/path" as an absolute file URI.
        if (!System.Text.RegularExpressions.Regex.IsMatch(url, "^[A-Za-z][A-Za-z0-9+.-]*:") || !Uri.TryCreate(url, UriKind.Absolute, out var u))
            throw new InvalidParameterException($"{url} is not a valid URL: callback and sign-out URLs must be absolute.");
        if (url.Contains('#'))
            throw new InvalidParameterException($"{url} is not a valid URL: callback and sign-out URLs can not have a fragment.");
        if (u.Scheme == "http" && u.Host is not ("localhost" or "127.0.0.1" or "[::1]"))
            throw new InvalidParameterException($"{url} cannot use the HTTP protocol.");
    }
}
