using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The end of a hosted sign-in: checks of the authorization request, single sign-on, and the redirect back
/// to the app with a code (or tokens, for the implicit flow).</summary>
public sealed class HostedUiCompletion(PortalDb db, SsoSession sso, AuthorizationCodes codes, IOAuthTokens tokens, TimeProvider clock)
{
    static readonly string[] StandardScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];

    /// <summary>Checks response_type, flows, scopes and PKCE once client and redirect_uri are known to be right;
    /// errors go back to the app's redirect_uri as RFC 6749 says.</summary>
    public IResult? CheckAuthorize(HostedUiRequest r)
    {
        var client = r.Client!.Settings;
        var flows = client.AllowedOAuthFlows ?? [];
        string? error = null, description = null;
        if (client.AllowedOAuthFlowsUserPoolClient != true || flows.Count == 0)
            (error, description) = ("unauthorized_client", "This app client is not enabled for OAuth flows.");
        else if (r.OAuth.ResponseType is null)
            (error, description) = ("invalid_request", "response_type is required.");
        else if (r.OAuth.ResponseType is not ("code" or "token"))
            (error, description) = ("unsupported_response_type", $"response_type {r.OAuth.ResponseType} is not supported.");
        else if ((r.OAuth.ResponseType == "code" && !flows.Contains("code")) || (r.OAuth.ResponseType == "token" && !flows.Contains("implicit")))
            (error, description) = ("unauthorized_client", $"The app client does not allow the {(r.OAuth.ResponseType == "code" ? "code" : "implicit")} flow.");
        else if (r.OAuth.Scopes.FirstOrDefault(s => client.AllowedOAuthScopes?.Contains(s) != true) is { } scope)
            (error, description) = ("invalid_scope", $"The scope {scope} is not allowed for this app client.");
        else if (r.OAuth.CodeChallenge is not null && (r.OAuth.CodeChallengeMethod ?? "S256") != "S256")
            (error, description) = ("invalid_request", "code_challenge_method must be S256.");
        else if (r.OAuth.ResponseType == "code" && r.Client.Row.ClientSecret is null && r.OAuth.CodeChallenge is null)
            // A public client cannot authenticate at the token endpoint: PKCE is what binds the code to it.
            (error, description) = ("invalid_request", "code_challenge is required for public clients (PKCE with S256).");
        else if (r.OAuth.CodeChallenge is { } challenge && (challenge.Length is < 43 or > 128))
            (error, description) = ("invalid_request", "code_challenge must be 43 to 128 characters (base64url of SHA-256).");
        return error is null ? null : RedirectError(r, error, description!);
    }

    public static IResult RedirectError(HostedUiRequest r, string error, string description)
    {
        var parameters = new Dictionary<string, string?> { ["error"] = error, ["error_description"] = description };
        if (r.OAuth.State is not null) parameters["state"] = r.OAuth.State;
        return r.OAuth.ResponseType == "token"
            ? Results.Redirect(r.OAuth.RedirectUri + "#" + QueryHelpers.AddQueryString("", parameters).TrimStart('?'))
            : Results.Redirect(QueryHelpers.AddQueryString(r.OAuth.RedirectUri!, parameters));
    }

    /// <summary>Single sign-on: a live session cookie for this pool signs the user in without a form.</summary>
    public async Task<IResult?> FromSession(HostedUiRequest r)
    {
        var session = sso.Read(r.Http, r.Domain, r.Pool.Row.Id);
        if (session is null) return null;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == session.Sub && u.UserPoolId == r.Pool.Row.Id, r.Http.RequestAborted);
        if (user is null || !user.Enabled || user.Status is not ("CONFIRMED" or "EXTERNAL_PROVIDER")
            || (user.TokensValidAfter is { } after && after > DateTimeOffset.FromUnixTimeSeconds(session.IssuedAt)))
        {
            sso.Clear(r.Http, r.Domain);
            return null;
        }
        return await Complete(r, user, DateTimeOffset.FromUnixTimeSeconds(session.AuthTime));
    }

    /// <summary>Completes a sign-in that happened just now.</summary>
    public Task<IResult> Complete(HostedUiRequest r, UserRow user) => Complete(r, user, clock.GetUtcNow());

    public async Task<IResult> Complete(HostedUiRequest r, UserRow user, DateTimeOffset authTime, SsoSession.SamlSession? saml = null)
    {
        var ct = r.Http.RequestAborted;
        sso.Write(r.Http, r.Domain, r.Pool.Row.Id, user.Sub, authTime, saml);
        var scopes = r.OAuth.Scopes.Count > 0 ? r.OAuth.Scopes : (IReadOnlyList<string>)(r.Client!.Settings.AllowedOAuthScopes ?? ["openid"]);
        if (r.OAuth.ResponseType == "token")
        {
            var issued = await tokens.ForUser(r.Pool, r.Client!, user, scopes, r.OAuth.Nonce, authTime, withRefreshToken: false, originJti: null, ct);
            var fragment = new Dictionary<string, string?>
            {
                ["access_token"] = issued.AccessToken, ["token_type"] = "Bearer", ["expires_in"] = issued.ExpiresIn.ToString(CultureInfo.InvariantCulture),
            };
            if (issued.IdToken is not null) fragment["id_token"] = issued.IdToken;
            if (r.OAuth.State is not null) fragment["state"] = r.OAuth.State;
            return Results.Redirect(r.OAuth.RedirectUri + "#" + QueryHelpers.AddQueryString("", fragment).TrimStart('?'));
        }
        var code = await codes.Issue(r.Pool.Row.Id, r.Client!.Row.ClientId, user.Sub, r.OAuth, scopes, authTime, ct);
        var query = new Dictionary<string, string?> { ["code"] = code };
        if (r.OAuth.State is not null) query["state"] = r.OAuth.State;
        return Results.Redirect(QueryHelpers.AddQueryString(r.OAuth.RedirectUri!, query));
    }

    public static IReadOnlyList<string> Standard => StandardScopes;
}
