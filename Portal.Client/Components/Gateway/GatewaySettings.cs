using Portal.Client.Contract;

namespace Portal.Client.Components.Gateway;

/// <summary>The settings each kind of gateway route takes, as the route editor asks for them, and a one-line description
/// of a route's authorizer for the list.</summary>
public static class GatewaySettings
{
    public sealed record Setting(string Key, string Label, string Help, bool Required = false, int Lines = 1);

    public static IReadOnlyList<Setting> Of(string? kind) => kind switch
    {
        GatewayRouteKinds.IamApi =>
        [
            new("ApiId", "API id", "Names the API in execute-api ARNs (default: the route's id)."),
            new("Stage", "Stage", "The stage in execute-api ARNs (default $default)."),
            new("Region", "Region", "The region in execute-api ARNs (default Portal's)."),
            new("MaxBodyBytes", "Largest body (bytes)", "Default 10485760, API Gateway's payload limit."),
        ],
        GatewayRouteKinds.JwtApi =>
        [
            new("UserPoolId", "User pool id", "The pool whose JWKS signs the tokens.", Required: true),
            new("Audience", "Audience (app client ids)", "Comma-separated; an ID token's aud or an access token's client_id must be one of them.", Required: true),
            new("Scopes", "Route scopes", "Space-separated (e.g. notes/read); the token needs one of them. Empty: any valid token."),
            new("TokenUse", "Token use", "id, access or both (default both)."),
            new("CheckRevocation", "Check revocation", "true to refuse revoked tokens (a database read per request)."),
        ],
        GatewayRouteKinds.Alb =>
        [
            new("UserPoolId", "User pool id", "The pool whose hosted UI signs users in.", Required: true),
            new("ClientId", "App client id", "Allows the code flow with {route URL}/oauth2/idpresponse as a callback URL.", Required: true),
            new("Scope", "Scope", "Asked at the hosted UI (default openid)."),
            new("OnUnauthenticatedRequest", "On unauthenticated request", "authenticate (default), deny or allow."),
            new("SessionTimeout", "Session timeout (seconds)", "Default 604800 (7 days)."),
            new("SessionCookieName", "Session cookie name", "Default AWSELBAuthSessionCookie."),
            new("LoadBalancerArn", "Load balancer ARN (signer)", "The signer in x-amzn-oidc-data's header, which backends check (default: an ARN made from the route id)."),
        ],
        GatewayRouteKinds.S3 =>
        [
            new("Buckets", "Buckets", "Comma-separated; others answer NoSuchBucket. Path-style CORS preflights on Portal's own endpoint are answered for these."),
            new("VirtualHosts", "Virtual-hosted names", "Comma-separated base names for {bucket}.{name} (besides Host), e.g. s3.localhost."),
            new("Cors", "CORS configuration", "S3's CORSConfiguration as JSON: {\"CORSRules\":[{\"AllowedOrigins\":[…],\"AllowedMethods\":[…],\"AllowedHeaders\":[\"*\"],\"ExposeHeaders\":[\"ETag\"],\"MaxAgeSeconds\":3000}]}.", Lines: 5),
        ],
        _ => [],
    };

    /// <summary>What guards the route, in a line: "IAM: execute-api:Invoke on notes/prod", "JWT: us-east-1_X, scopes a b", …</summary>
    public static string Describe(GatewayRouteType route)
    {
        var s = route.Settings ?? [];
        string? V(string key) => s.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        return route.Kind switch
        {
            GatewayRouteKinds.IamApi => $"IAM: execute-api:Invoke on {V("ApiId") ?? route.Id}/{V("Stage") ?? "$default"}",
            GatewayRouteKinds.JwtApi => $"JWT: {V("UserPoolId") ?? "?"}, audience {V("Audience") ?? "?"}" + (V("Scopes") is { } scopes ? $", scopes {scopes}" : ""),
            GatewayRouteKinds.Alb => $"authenticate-cognito: {V("UserPoolId") ?? "?"} / {V("ClientId") ?? "?"}, {V("OnUnauthenticatedRequest") ?? "authenticate"}",
            GatewayRouteKinds.S3 => "IAM: S3 actions on the bucket and key" + (V("Cors") is null ? "" : ", CORS"),
            _ => route.Kind ?? "",
        };
    }
}
