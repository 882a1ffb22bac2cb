// Portal-only extensions (not AWS operations): the gateway's routes (S3 storage, HTTP APIs with an IAM or JWT
// authorizer, ALB-style sign-in) and the log of its authorization decisions. Routes come from appsettings
// (Portal:Gateway:Routes, read-only here) and from the database (editable through these operations).
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract;

/// <summary>The kinds of gateway route.</summary>
public static class GatewayRouteKinds
{
    public const string S3 = "S3";
    public const string IamApi = "IamApi";
    public const string JwtApi = "JwtApi";
    public const string Alb = "Alb";
    public static readonly IReadOnlyList<string> All = [S3, IamApi, JwtApi, Alb];
}

/// <summary>A gateway route: what it matches (a path prefix and/or a host), where it forwards, and its kind's settings.</summary>
public sealed record GatewayRouteType
{
    /// <summary>Letters, digits, '-' and '_'.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[A-Za-z0-9_-]+")]
    public string? Id { get; init; }
    [Required]
    [AllowedValues("S3", "IamApi", "JwtApi", "Alb")]
    public string? Kind { get; init; }
    /// <summary>A path prefix such as <c>/api</c>; the S3 kind matches requests signed for service s3 instead.</summary>
    [StringLength(256)]
    public string? PathPrefix { get; init; }
    /// <summary>A host name the route answers (for S3, the base of virtual-hosted names: <c>{bucket}.{Host}</c>).</summary>
    [StringLength(253)]
    public string? Host { get; init; }
    /// <summary>The backend's base URL (http or https).</summary>
    [Required]
    [StringLength(2048, MinimumLength = 1)]
    public string? Backend { get; init; }
    /// <summary>The kind's settings. Values of keys naming a secret (…Secret…) are write-only: listings mask them.</summary>
    public Dictionary<string, string>? Settings { get; init; }
    public bool? Enabled { get; init; }
    /// <summary>Configuration (appsettings, read-only) or Database.</summary>
    public string? Source { get; init; }
    public DateTimeOffset? LastModifiedDate { get; init; }
}

[Service(PortalServices.Admin)]
public sealed record ListGatewayRoutesRequest : ICognitoRequest<ListGatewayRoutesResponse>;

public sealed record ListGatewayRoutesResponse
{
    public List<GatewayRouteType>? Routes { get; init; }
}

/// <summary>Creates or replaces a route stored in the database (routes from appsettings cannot be changed here).</summary>
[Service(PortalServices.Admin)]
public sealed record PutGatewayRouteRequest : ICognitoRequest<PutGatewayRouteResponse>
{
    [Required]
    public GatewayRouteType? Route { get; init; }
}

public sealed record PutGatewayRouteResponse
{
    public GatewayRouteType? Route { get; init; }
}

[Service(PortalServices.Admin)]
public sealed record DeleteGatewayRouteRequest : ICognitoRequest<DeleteGatewayRouteResponse>
{
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string? Id { get; init; }
}

public sealed record DeleteGatewayRouteResponse;

/// <summary>The gateway's decisions, newest first, filtered.</summary>
[Service(PortalServices.Admin)]
public sealed record ListGatewayDecisionsRequest : ICognitoRequest<ListGatewayDecisionsResponse>
{
    [StringLength(64, MinimumLength = 1)]
    public string? RouteId { get; init; }
    /// <summary>Allow, ImplicitDeny, ExplicitDeny or Error (authentication or request errors).</summary>
    [AllowedValues("Allow", "ImplicitDeny", "ExplicitDeny", "Error")]
    public string? Decision { get; init; }
    /// <summary>Identity id, user sub or access key id.</summary>
    [StringLength(256, MinimumLength = 1)]
    public string? Caller { get; init; }
    /// <summary>An action such as <c>s3:GetObject</c>.</summary>
    [StringLength(128, MinimumLength = 1)]
    public string? Action { get; init; }
    /// <summary>Only decisions at or after this time (a live tail asks with the newest it has seen).</summary>
    public DateTimeOffset? After { get; init; }
    public DateTimeOffset? Before { get; init; }
    [Range(1, 100)]
    public int? Limit { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListGatewayDecisionsResponse
{
    public List<GatewayDecisionType>? Decisions { get; init; }
    public string? NextToken { get; init; }
}

public sealed record GatewayDecisionType
{
    public string? Id { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? RouteId { get; init; }
    public string? Kind { get; init; }
    /// <summary>Identity id, user sub, or access key id (anonymous when none).</summary>
    public string? Caller { get; init; }
    public string? AccessKeyId { get; init; }
    public string? Action { get; init; }
    public string? Resource { get; init; }
    /// <summary>Allow, ImplicitDeny, ExplicitDeny or Error.</summary>
    public string? Decision { get; init; }
    /// <summary>The error the caller heard (AccessDenied, SignatureDoesNotMatch, …), when refused.</summary>
    public string? ErrorCode { get; init; }
    /// <summary>The policy that decided (a role's inline policy name, "session policy", …) and its statement (Sid or #index).</summary>
    public string? Policy { get; init; }
    public string? Statement { get; init; }
    public string? SourceIp { get; init; }
}
