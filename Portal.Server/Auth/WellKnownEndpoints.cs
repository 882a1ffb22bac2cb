using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// What relying parties fetch to validate a pool's tokens, at the paths Cognito publishes under its issuer:
/// <c>/{poolId}/.well-known/jwks.json</c> and <c>/{poolId}/.well-known/openid-configuration</c>.
/// The literal <c>.well-known</c> segment routes these before the portal's pages.
/// </summary>
public static class WellKnownEndpoints
{
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{poolId}/.well-known/jwks.json", Jwks).WithName("Jwks");
        app.MapGet("/{poolId}/.well-known/openid-configuration", Discovery).WithName("OpenIdConfiguration");
        return app;
    }

    static async Task<IResult> Jwks(string poolId, HttpContext http, UserPoolStore pools, SigningKeys keys, PortalDb db, CancellationToken ct)
    {
        if (await pools.Find(poolId, ct) is null) return UnknownPool(poolId);
        var published = await keys.Published(poolId, ct);
        if (published.Count == 0)
        {
            // A pool publishes its key before its first token, so relying parties can be set up ahead.
            published = [await keys.Current(poolId, ct)];
            await db.SaveChangesAsync(ct);
        }
        Public(http);
        return Results.Json(new JsonObject { ["keys"] = new JsonArray(published.Select(k => (JsonNode)k.Jwk()).ToArray()) });
    }

    static async Task<IResult> Discovery(string poolId, HttpContext http, UserPoolStore pools, Issuer issuer, PortalDb db, CancellationToken ct)
    {
        if (await pools.Find(poolId, ct) is null) return UnknownPool(poolId);
        var baseUrl = issuer.BaseUrl;
        var iss = issuer.For(poolId);
        var domain = await db.Domains.Where(d => d.UserPoolId == poolId).Select(d => d.Domain).FirstOrDefaultAsync(ct);
        var document = new JsonObject();
        if (domain is not null)
        {
            // The hosted UI of the pool's domain serves the OAuth endpoints under {base}/{domain}.
            var ui = $"{baseUrl}/{Uri.EscapeDataString(domain)}";
            document["authorization_endpoint"] = $"{ui}/oauth2/authorize";
            document["end_session_endpoint"] = $"{ui}/logout";
        }
        document["id_token_signing_alg_values_supported"] = new JsonArray("RS256");
        document["issuer"] = iss;
        document["jwks_uri"] = $"{issuer.Location(poolId)}/.well-known/jwks.json";
        document["response_types_supported"] = new JsonArray("code", "token");
        if (domain is not null) document["revocation_endpoint"] = $"{baseUrl}/{Uri.EscapeDataString(domain)}/oauth2/revoke";
        document["scopes_supported"] = new JsonArray("openid", "email", "phone", "profile");
        document["subject_types_supported"] = new JsonArray("public");
        if (domain is not null) document["token_endpoint"] = $"{baseUrl}/{Uri.EscapeDataString(domain)}/oauth2/token";
        document["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post");
        if (domain is not null) document["userinfo_endpoint"] = $"{baseUrl}/{Uri.EscapeDataString(domain)}/oauth2/userInfo";
        // PKCE as Cognito takes it (S256 only); clients such as oidc-client-ts read this to decide to send a challenge.
        document["code_challenge_methods_supported"] = new JsonArray("S256");
        document["claims_supported"] = new JsonArray(
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "token_use", "cognito:username", "cognito:groups",
            "email", "email_verified", "phone_number", "phone_number_verified", "name", "given_name", "family_name",
            "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender", "birthdate",
            "zoneinfo", "locale", "address", "updated_at");
        Public(http);
        return Results.Json(document);
    }

    /// <summary>Browser apps fetch these documents from other origins, as they do from Cognito.</summary>
    static void Public(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.CacheControl = "public, max-age=300";
    }

    static IResult UnknownPool(string poolId) =>
        Results.Json(new { error = "ResourceNotFoundException", message = $"User pool {poolId} does not exist." }, statusCode: 404);
}
