using System.Security.Claims;
using Portal.Client.Contract;

namespace Portal.Client.Security;

/// <summary>What the signed-in operator may do, cascaded by the layout so pages hide the actions the server would
/// refuse (the server checks again: <see cref="OperatorRoles"/> in OperatorCognito).</summary>
public sealed record OperatorAccess(string? Role)
{
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
