using System.Security.Claims;
using Portal.Client.Contract;

namespace Portal.Client.Security;

/// <summary>What the signed-in operator may do, cascaded by the layout so pages hide the actions the server would
/// refuse (the server checks again: <see cref="OperatorRoles"/> in OperatorCognito).</summary>
public sealed record OperatorAccess(string? Role, string? AdministrationPoolId = null, bool InAdministrationPool = false)
{
    /// <summary>Everything allowed: for component tests and hosts without sign-in.</summary>
    public static readonly OperatorAccess Administrator = new(OperatorRoles.Administrator);

    public static OperatorAccess Of(ClaimsPrincipal user, string? administrationPoolId = null) =>
        new(user.FindFirst(ClaimTypes.Role)?.Value is { } role && OperatorRoles.Allows(role, OperatorRoles.Viewer) ? role : OperatorRoles.Of(user),
            administrationPoolId);

    /// <summary>What the operator may do in this pool: in the administration pool only administrators change anything.</summary>
    public OperatorAccess In(string? userPoolId) =>
        this with { InAdministrationPool = userPoolId is not null && userPoolId == AdministrationPoolId };

    /// <summary>Whether the operator's role allows the operation of this request type.</summary>
    public bool May<TRequest>() => May(typeof(TRequest));

    public bool May(Type requestType) => OperatorRoles.Allows(Role, OperatorRoles.Needed(requestType, InAdministrationPool));

    /// <summary>Read-only: a viewer, no role, or an operator in the administration pool.</summary>
    public bool ReadOnly => !OperatorRoles.Allows(Role, InAdministrationPool ? OperatorRoles.Administrator : OperatorRoles.Operator);

    /// <summary>Secrets (client secrets, identity providers' keys) are shown to administrators only.</summary>
    public bool SeesSecrets => Role == OperatorRoles.Administrator;
}
