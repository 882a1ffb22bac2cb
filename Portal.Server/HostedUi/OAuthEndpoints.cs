using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.HostedUi.Pages;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The OAuth 2.0 / OpenID Connect endpoints of a pool's domain: authorize, token, userInfo, revoke, logout.</summary>
public static class OAuthEndpoints
{
    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/{domain}").DisableAntiforgery().WithHostedUiHeaders().AddEndpointFilter(HostedForm.OAuth);
        g.MapGet("/oauth2/authorize", Authorize);
        // OpenID Connect Core 3.1.2.1: the authorization endpoint takes POST (form parameters) as well as GET.
        g.MapPost("/oauth2/authorize", AuthorizeByPost);
        g.MapPost("/oauth2/token", Token).AddEndpointFilter(Throttling.HostedUiThrottle.Token);
        g.MapGet("/oauth2/userInfo", UserInfo);
        g.MapPost("/oauth2/userInfo", UserInfo);
        g.MapPost("/oauth2/revoke", Revoke);
        g.MapGet("/logout", Logout);
        g.MapGet("/ui.css", Css);
        return app;
    }

    // ---- /oauth2/authorize -----------------------------------------------------------------------------------------

    static async Task<IResult> Authorize(HttpContext http, string domain, HostedUiDomains domains, AppClientStore clients,
        HostedUiCompletion completion, LoginEndpoint login, PortalDb db)
    {
        // Same checks as the login page; the page then either signs in from the session or shows the form.
        var oauth = OAuthParameters.From(http.Request.Query);
        if (oauth.IdentityProvider is { } provider && provider != "COGNITO")
        {
            var pool = await domains.Find(domain, http.RequestAborted);
            var known = pool is not null && await db.IdentityProviders.AnyAsync(p => p.UserPoolId == pool.Row.Id && p.ProviderName == provider, http.RequestAborted);
            if (!known) return await login.Show(http, domain, error: UserText.Of("ProviderNotConfigured", provider));
            return Results.Redirect($"{HostDomains.BasePath(http, domain)}/federation/start{http.Request.QueryString}");
        }
        // idp_identifier picks the provider by one of its IdpIdentifiers (federation/start resolves and checks it).
        if (oauth.IdentityProvider is null && oauth.IdpIdentifier is not null)
            return Results.Redirect($"{HostDomains.BasePath(http, domain)}/federation/start{http.Request.QueryString}");
        if (oauth.Prompt == "none") return await login.Show(http, domain, silent: true);
        return Results.Redirect($"{HostDomains.BasePath(http, domain)}/login{oauth.ToQuery()}");
    }

    /// <summary>A form POST is the GET it stands for: the same parameters, then the same answer.</summary>
    static async Task<IResult> AuthorizeByPost(HttpContext http, string domain)
    {
        if (!http.Request.HasFormContentType)
            return OAuthError("invalid_request", "The authorization endpoint takes application/x-www-form-urlencoded parameters.");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var query = QueryString.Create(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))));
        return Results.Redirect($"{HostDomains.BasePath(http, domain)}/oauth2/authorize{query}");
    }

    // ---- /oauth2/token -----------------------------------------------------------------------------------------------

    static IResult OAuthError(string error, string description, int status = 400) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    /// <summary>RFC 6749 §5.2: a client that failed to authenticate gets 401 and the scheme to authenticate with.</summary>
    static IResult InvalidClient(HttpContext http, string description)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth2\", error=\"invalid_client\"";
        return OAuthError("invalid_client", description, 401);
    }

    static IResult NoStore(HttpContext http, IResult result)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return result;
    }

    /// <summary>Client authentication: HTTP Basic or client_secret_post; public clients send only client_id.</summary>
    static async Task<(AppClientStore.Client? Client, IResult? Error)> AuthenticateClient(HttpContext http, IFormCollection form,
        string poolId, AppClientStore clients)
    {
        string? id = form["client_id"], secret = form["client_secret"];
        var header = http.Request.Headers.Authorization.ToString();
        var basic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        if (basic)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                (id, secret) = (Uri.UnescapeDataString(decoded[0]), decoded.Length > 1 ? Uri.UnescapeDataString(decoded[1]) : "");
            }
            catch (FormatException)
            {
                return (null, InvalidClient(http, "The Authorization header is not valid Basic credentials."));
            }
        }
        if (string.IsNullOrEmpty(id)) return (null, InvalidClient(http, "client_id is required."));
        var client = await clients.FindCached(id, http.RequestAborted);
        if (client is null || client.Row.UserPoolId != poolId) return (null, InvalidClient(http, "The client is unknown."));
        if (client.Row.ClientSecret is not null)
        {
            // Either of the client's secrets during a rotation (AddUserPoolClientSecret).
            if (!ClientSecrets.Matches(client.Row, secret))
                return (null, InvalidClient(http, "The client secret is missing or wrong."));
        }
        return (client, null);
    }

    static async Task<IResult> Token(HttpContext http, string domain, HostedUiDomains domains, AppClientStore clients,
        AuthorizationCodes codes, IOAuthTokens tokens, PortalDb db, ILoggerFactory logs)
    {
        var ct = http.RequestAborted;
        var pool = await domains.Find(domain, ct);
        if (pool is null) return NoStore(http, OAuthError("invalid_request", "This domain does not exist.", 404));
        if (!http.Request.HasFormContentType)
            return NoStore(http, OAuthError("invalid_request", "The token endpoint takes application/x-www-form-urlencoded parameters."));
        var form = await http.Request.ReadFormAsync(ct);
        var (client, error) = await AuthenticateClient(http, form, pool.Row.Id, clients);
        if (client is null) return NoStore(http, error!);
        var flows = client.Settings.AllowedOAuthFlows ?? [];
        try
        {
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                {
                    if (!flows.Contains("code")) return NoStore(http, OAuthError("unauthorized_client", "The client does not allow the code flow."));
                    if (string.IsNullOrEmpty(form["code"])) return NoStore(http, OAuthError("invalid_request", "code is required."));
                    var (row, problem) = await codes.Redeem(form["code"], client.Row.ClientId, form["redirect_uri"], form["code_verifier"], ct);
                    if (row is null)
                    {
                        logs.CreateLogger("Portal.OAuth").LogInformation("Authorization code refused for client {ClientId}: {Reason}", client.Row.ClientId, problem);
                        return NoStore(http, OAuthError("invalid_grant", problem!));
                    }
                    var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
                    if (user is null || !user.Enabled) return NoStore(http, OAuthError("invalid_grant", "The user no longer exists or is disabled."));
                    var issued = await tokens.ForUser(pool, client, user, row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), row.Nonce,
                        row.AuthTime, withRefreshToken: true, row.OriginJti, ct);
                    return NoStore(http, Json(issued));
                }
                case "refresh_token":
                {
                    var refresh = form["refresh_token"].ToString();
                    if (refresh.Length == 0) return NoStore(http, OAuthError("invalid_request", "refresh_token is required."));
                    return NoStore(http, Json(await tokens.Refresh(pool, client, refresh, ct)));
                }
                case "client_credentials":
                {
                    if (!flows.Contains("client_credentials") || client.Row.ClientSecret is null)
                        return NoStore(http, OAuthError("unauthorized_client", "The client does not allow the client_credentials flow."));
                    var allowed = (client.Settings.AllowedOAuthScopes ?? []).Where(s => !HostedUiCompletion.Standard.Contains(s)).ToList();
                    var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (requested.FirstOrDefault(s => !allowed.Contains(s)) is { } bad)
                        return NoStore(http, OAuthError("invalid_scope", $"The scope {bad} is not allowed for this client."));
                    return NoStore(http, Json(await tokens.ForClient(pool, client, requested.Length > 0 ? requested : allowed, ct)));
                }
                case "":
                    return NoStore(http, OAuthError("invalid_request", "grant_type is required."));
                default:
                    return NoStore(http, OAuthError("unsupported_grant_type", $"grant_type {form["grant_type"]} is not supported."));
            }
        }
        catch (CognitoException e) when (e is NotAuthorizedException or PasswordResetRequiredException)
        {
            return NoStore(http, OAuthError("invalid_grant", e.Message));
        }
        catch (CognitoException e) when (e is UserLambdaValidationException or InvalidLambdaResponseException or UnexpectedLambdaException)
        {
            // The pre token generation function refused or failed: no tokens, and its message, as Cognito answers.
            return NoStore(http, OAuthError("invalid_request", e.Message));
        }
    }

    static IResult Json(IssuedTokens t)
    {
        var body = new Dictionary<string, object> { ["access_token"] = t.AccessToken, ["expires_in"] = t.ExpiresIn, ["token_type"] = "Bearer" };
        if (t.IdToken is not null) body["id_token"] = t.IdToken;
        if (t.RefreshToken is not null) body["refresh_token"] = t.RefreshToken;
        return Results.Json(body);
    }

    // ---- /oauth2/userInfo --------------------------------------------------------------------------------------------

    /// <summary>Profile claims the profile scope reads, as Cognito documents them (and the custom attributes).</summary>
    static readonly HashSet<string> ProfileAttributes =
    [
        "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
        "gender", "birthdate", "zoneinfo", "locale", "updated_at",
    ];

    static async Task<IResult> UserInfo(HttpContext http, string domain, HostedUiDomains domains, IAccessTokens accessTokens, AppClientStore clients,
        PortalDb db)
    {
        var ct = http.RequestAborted;
        var header = http.Request.Headers.Authorization.ToString();
        http.Response.Headers.CacheControl = "no-store";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Json(new { error = "invalid_token", error_description = "A Bearer access token is required." }, statusCode: 401);
        }
        var pool = await domains.Find(domain, ct);
        try
        {
            var principal = await accessTokens.Validate(header[7..].Trim(), ct);
            if (pool is null || principal.UserPoolId != pool.Row.Id)
                throw new NotAuthorizedException("Invalid Access Token");
            // Only tokens of the token endpoint with openid: aws.cognito.signin.user.admin (every API sign-in's) is not enough.
            if (!principal.Scopes.Contains("openid"))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\", scope=\"openid\"";
                return Results.Json(new { error = "insufficient_scope", error_description = "Access token does not contain openid scope" }, statusCode: 403);
            }
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Sub == principal.Sub, ct);
            var client = await clients.Find(principal.ClientId, ct) ?? throw new NotAuthorizedException("Invalid Access Token");
            var (profile, email, phone) = (principal.Scopes.Contains("profile"), principal.Scopes.Contains("email"), principal.Scopes.Contains("phone"));
            // openid alone reads every attribute the client may read; with profile, email or phone, those groups.
            var all = !profile && !email && !phone;
            var claims = new Dictionary<string, object> { ["sub"] = user.Sub, ["username"] = user.Username };
            foreach (var (name, value) in Tokens.ReadableAttributes(user, client.Settings))
            {
                var wanted = all
                    || (profile && (ProfileAttributes.Contains(name) || Schema.IsCustom(name)))
                    || (email && name is "email" or "email_verified")
                    || (phone && name is "phone_number" or "phone_number_verified");
                if (!wanted) continue;
                claims[name] = name.EndsWith("_verified", StringComparison.Ordinal) ? value == "true" : value;
            }
            return Results.Json(claims);
        }
        catch (NotAuthorizedException e)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Results.Json(new { error = "invalid_token", error_description = e.Message }, statusCode: 401);
        }
    }

    // ---- /oauth2/revoke ----------------------------------------------------------------------------------------------

    static async Task<IResult> Revoke(HttpContext http, string domain, HostedUiDomains domains, AppClientStore clients, IOAuthTokens tokens)
    {
        var ct = http.RequestAborted;
        var pool = await domains.Find(domain, ct);
        if (pool is null) return OAuthError("invalid_request", "This domain does not exist.", 404);
        if (!http.Request.HasFormContentType) return OAuthError("invalid_request", "The revoke endpoint takes form parameters.");
        var form = await http.Request.ReadFormAsync(ct);
        var (client, error) = await AuthenticateClient(http, form, pool.Row.Id, clients);
        if (client is null) return error!;
        var token = form["token"].ToString();
        if (token.Length == 0) return OAuthError("invalid_request", "token is required.");
        if (client.Settings.EnableTokenRevocation == false) return OAuthError("invalid_request", "Token revocation is not enabled for this client.");
        try
        {
            await tokens.Revoke(client, token, ct);
        }
        catch (NotAuthorizedException)
        {
            // RFC 7009 §2.2: an invalid, unknown or malformed token is answered with 200 as if revoked.
        }
        catch (UnauthorizedException e)
        {
            // RFC 7009 §2.1: a client revokes only its own tokens; another's stays valid and the request is refused.
            return OAuthError("unauthorized_client", e.Message);
        }
        catch (UnsupportedTokenTypeException e)
        {
            return OAuthError("unsupported_token_type", e.Message);
        }
        return Results.Ok();
    }

    // ---- /logout -----------------------------------------------------------------------------------------------------

    static async Task<IResult> Logout(HttpContext http, string domain, HostedUiDomains domains, AppClientStore clients, SsoSession sso,
        HostedPages pages)
    {
        var ct = http.RequestAborted;
        var pool = await domains.Find(domain, ct);
        var clientId = http.Request.Query["client_id"].ToString();
        var client = clientId.Length == 0 ? null : await clients.Find(clientId, ct);
        if (pool is null || client is null || client.Row.UserPoolId != pool.Row.Id)
            return await pages.Message(http, domain, UserText.Of("SignOutUnknownClient"), 400);
        var logoutUri = http.Request.Query["logout_uri"].ToString();
        if (logoutUri.Length > 0 && client.Settings.LogoutURLs?.Contains(logoutUri, StringComparer.Ordinal) != true)
            return await pages.Message(http, domain, UserText.Of("SignOutUnregisteredUri"), 400);
        var relogin = http.Request.Query.ContainsKey("redirect_uri") && http.Request.Query.ContainsKey("response_type");
        var next = logoutUri.Length > 0 ? logoutUri
            : relogin ? $"{HostDomains.BasePath(http, domain)}/login{OAuthParameters.From(http.Request.Query).ToQuery()}"
            : null;
        var session = sso.Read(http, domain, pool.Row.Id);
        sso.Clear(http, domain);
        // Signed in through a SAML provider that signs out at the IdP too (IDPSignout): the IdP first, then on.
        // The IdP answers at Portal's public URL: a host-based domain's continuation names its own origin.
        var continueTo = next ?? $"{HostDomains.BasePath(http, domain)}/logout?client_id={Uri.EscapeDataString(clientId)}";
        if (continueTo.StartsWith('/') && HostDomains.Origin(http, domain, http.RequestServices.GetRequiredService<Auth.Issuer>().BaseUrl) is { } origin)
            continueTo = origin + continueTo;
        if (session?.Saml is { } saml && http.RequestServices.GetService<Federation.ISamlSignOut>() is { } samlSignOut
            && await samlSignOut.Start(http, domain, pool.Row.Id, saml, continueTo, ct) is { } toIdp)
            return toIdp;
        if (next is not null) return Results.Redirect(next);
        return await pages.Message(http, domain, null, 200, signedOut: true);
    }

    // ---- customization CSS ------------------------------------------------------------------------------------------

    static async Task<IResult> Css(HttpContext http, string domain, HostedUiDomains domains, HostedUiBranding branding)
    {
        var pool = await domains.Find(domain, http.RequestAborted);
        if (pool is null) return Results.NotFound();
        var clientId = http.Request.Query["client_id"].ToString() is { Length: > 0 } c ? c : null;
        var preview = http.Request.Query["preview"].ToString() is { Length: > 0 } p ? p : null;
        var css = await branding.Stylesheet(pool, clientId, preview, http.RequestAborted);
        // Versioned URLs (v=...) change whenever the customization does; previews are never cached.
        http.Response.Headers.CacheControl = preview is null ? "public, max-age=300" : "no-store";
        return Results.Text(css, "text/css; charset=utf-8");
    }
}
