using System.Security.Claims;
using Portal.Client.Contract;

namespace Portal.Client.Security;

/// <summary>What the signed-in operator may do, cascaded by the layout so pages hide the actions the server would
/// refuse (the server checks again: <see cref="OperatorRoles"/> in OperatorCognito).</summary>
public sealed record OperatorAccess(string? Role)
{
    /// <summary>The administration pool, whose groups are the portal's roles (null when unknown).</summary>
    public string? AdministrationPoolId { get; init; }

    /// <summary>The access in one pool: in the administration pool only administrators change anything.</summary>
    public OperatorAccess In(string? pool) =>
        pool is not null && pool == AdministrationPoolId && Role != OperatorRoles.Administrator ? this with { Role = OperatorRoles.Viewer } : this;

    /// <summary>Whether secrets are shown (client secrets, identity provider secrets): administrators only.</summary>
    public bool SeesSecrets => Role == OperatorRoles.Administrator;

    /// <summary>Everything allowed: for component tests and hosts without sign-in.</summary>
    public static readonly OperatorAccess Administrator = new(OperatorRoles.Administrator);

    public static OperatorAccess Of(ClaimsPrincipal user) =>
        new(user.FindFirst(ClaimTypes.Role)?.Value is { } role && OperatorRoles.Allows(role, OperatorRoles.Viewer) ? role : OperatorRoles.Of(user));

    /// <summary>Whether the operator's role allows the operation of this request type.</summary>
    public bool May<TRequest>() => May(typeof(TRequest));

    public bool May(Type requestType) => OperatorRoles.Allows(Role, OperatorRoles.Needed(requestType));

    /// <summary>Read-only: a viewer, or no role.</summary>
    public bool ReadOnly => !OperatorRoles.Allows(Role, OperatorRoles.Operator);
}

/// <summary>The administration pool's id as the host knows it, for <see cref="OperatorAccess.AdministrationPoolId"/>.</summary>
public sealed record AdministrationPool(string? Id);
