using System.Text.Json.Nodes;

namespace Portal.Server.IdentityPools;

/// <summary>The identity issuer's documents: <c>{PublicBaseUrl}/identity/.well-known/jwks.json</c> and
/// <c>…/openid-configuration</c>, so STS (embedded, or a real AWS account with Portal registered as an IAM OIDC
/// provider) can validate identities' OpenID tokens. The literal <c>identity</c> segment routes before user pools'.</summary>
public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentityIssuer(this IEndpointRouteBuilder app)
    {
        app.MapGet($"/{IdentityTokens.KeySet}/.well-known/jwks.json", Jwks).WithName("IdentityJwks");
        app.MapGet($"/{IdentityTokens.KeySet}/.well-known/openid-configuration", Discovery).WithName("IdentityOpenIdConfiguration");
        return app;
    }

    static async Task<IResult> Jwks(HttpContext http, IdentityTokens tokens, CancellationToken ct)
    {
        var published = await tokens.Published(ct);
        Public(http);
        return Results.Json(new JsonObject { ["keys"] = new JsonArray(published.Select(k => (JsonNode)k.Jwk()).ToArray()) });
    }

    static IResult Discovery(HttpContext http, IdentityTokens tokens)
    {
        var iss = tokens.IssuerUrl;
        Public(http);
        return Results.Json(new JsonObject
        {
            ["issuer"] = iss,
            ["jwks_uri"] = $"{iss}/.well-known/jwks.json",
            ["response_types_supported"] = new JsonArray("id_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["claims_supported"] = new JsonArray("sub", "aud", "amr", "iss", "exp", "iat", "https://aws.amazon.com/tags"),
        });
    }

    static void Public(HttpContext http)
    {
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.CacheControl = "public, max-age=300";
    }
}
