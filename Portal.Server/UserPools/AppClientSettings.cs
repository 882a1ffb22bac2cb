using Portal.Client.Contract;

namespace Portal.Server.UserPools;

/// <summary>Checks and defaults of app client settings, shared by create and update.</summary>
public static class AppClientSettings
{
    static readonly string[] Flows =
    [
        "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH",
    ];

    public static UserPoolClientType From(CreateUserPoolClientRequest r)
    {
        foreach (var f in r.ExplicitAuthFlows ?? [])
            if (!Flows.Contains(f)) throw new InvalidParameterException($"Invalid ExplicitAuthFlows value: {f}.");
        foreach (var f in r.AllowedOAuthFlows ?? [])
            if (f is not ("code" or "implicit" or "client_credentials")) throw new InvalidParameterException($"Invalid AllowedOAuthFlows value: {f}.");
        if (r.AllowedOAuthFlows?.Contains("client_credentials") == true && r.AllowedOAuthFlows.Count > 1)
            throw new InvalidParameterException("client_credentials flow can not be selected along with code flow or implicit flow.");
        foreach (var url in (r.CallbackURLs ?? []).Concat(r.LogoutURLs ?? []))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Fragment.Length > 0
                || (u.Scheme == "http" && !u.IsLoopback))
                throw new InvalidParameterException($"Invalid URL: {url}. URLs must be absolute, without a fragment, and use HTTPS except for localhost.");
        if (r.DefaultRedirectURI is not null && r.CallbackURLs?.Contains(r.DefaultRedirectURI) != true)
            throw new InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.");
        var explicitFlows = r.ExplicitAuthFlows is { Count: > 0 } ? r.ExplicitAuthFlows
            : ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];
        return new UserPoolClientType
        {
            RefreshTokenValidity = r.RefreshTokenValidity ?? 30,
            AccessTokenValidity = r.AccessTokenValidity ?? 60,
            IdTokenValidity = r.IdTokenValidity ?? 60,
            TokenValidityUnits = new TokenValidityUnitsType
            {
                AccessToken = r.TokenValidityUnits?.AccessToken ?? "minutes",
                IdToken = r.TokenValidityUnits?.IdToken ?? "minutes",
                RefreshToken = r.TokenValidityUnits?.RefreshToken ?? "days",
            },
            ReadAttributes = r.ReadAttributes,
            WriteAttributes = r.WriteAttributes,
            ExplicitAuthFlows = explicitFlows,
            SupportedIdentityProviders = r.SupportedIdentityProviders,
            CallbackURLs = r.CallbackURLs,
            LogoutURLs = r.LogoutURLs,
            DefaultRedirectURI = r.DefaultRedirectURI,
            AllowedOAuthFlows = r.AllowedOAuthFlows,
            AllowedOAuthScopes = r.AllowedOAuthScopes,
            AllowedOAuthFlowsUserPoolClient = r.AllowedOAuthFlowsUserPoolClient ?? false,
            AnalyticsConfiguration = r.AnalyticsConfiguration,
            PreventUserExistenceErrors = r.PreventUserExistenceErrors ?? "ENABLED",
            EnableTokenRevocation = r.EnableTokenRevocation ?? true,
            EnablePropagateAdditionalUserContextData = r.EnablePropagateAdditionalUserContextData ?? false,
            AuthSessionValidity = r.AuthSessionValidity ?? 3,
            RefreshTokenRotation = r.RefreshTokenRotation,
        };
    }
}
