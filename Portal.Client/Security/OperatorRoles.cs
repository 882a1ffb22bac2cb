using System.Security.Claims;
using Portal.Client.Contract;

namespace Portal.Client.Security;

/// <summary>What an operator may do, from the groups of the administration pool: viewers read, operators also
/// manage users and groups, administrators everything.</summary>
public static class OperatorRoles
{
    public const string Administrator = "administrator";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    /// <summary>What a viewer or operator reads in place of a client secret or an identity provider's secret.</summary>
    public const string HiddenSecret = "********";

    static readonly Dictionary<string, string> ByGroup = new(StringComparer.OrdinalIgnoreCase)
    {
        ["administrators"] = Administrator, ["operators"] = Operator, ["viewers"] = Viewer,
    };

    /// <summary>The strongest role among the user's groups (claim cognito:groups, or the configured role claim).</summary>
    public static string? Of(ClaimsPrincipal user, string groupClaim = "cognito:groups")
    {
        var roles = user.FindAll(groupClaim).Select(c => c.Value).Concat(user.FindAll(ClaimTypes.Role).Select(c => c.Value))
            .Select(g => ByGroup.GetValueOrDefault(g, g)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return roles.Contains(Administrator) ? Administrator : roles.Contains(Operator) ? Operator : roles.Contains(Viewer) ? Viewer : null;
    }

    /// <summary>Reads need any role; user and group changes need operator; everything else administrator.</summary>
    public static string Needed(Type requestType)
    {
        var name = global::Portal.Client.Contract.Operations.NameOf(requestType);
        // Reading a metadata URL makes the server fetch it: only administrators, who configure providers, may.
        if (name == "DescribeSamlMetadata") return Administrator;
        // These read like reads but create identities or mint tokens and credentials: no portal role but administrator may.
        if (name is "GetId" or "GetCredentialsForIdentity" or "GetOpenIdToken" or "GetOpenIdTokenForDeveloperIdentity") return Administrator;
        if (name == "LookupDeveloperIdentity") return Viewer;
        if (name.StartsWith("Describe", StringComparison.Ordinal) || name.StartsWith("List", StringComparison.Ordinal) || name.StartsWith("Get", StringComparison.Ordinal) || name == "AdminGetUser"
            || name is "AdminListGroupsForUser" or "AdminListUserAuthEvents" or "AdminListDevices" or "AdminGetDevice" or "AdminListWebAuthnCredentials"
            // The policy simulator evaluates documents and changes nothing.
            || name is "SimulateCustomPolicy" or "SimulatePrincipalPolicy")
            return Viewer;
        // Cognito Sync: operators may delete an identity's dataset (audited); configuration stays the administrators'.
        if (name.StartsWith("Admin", StringComparison.Ordinal) || name is "CreateGroup" or "UpdateGroup" or "DeleteGroup" or "DeleteDataset")
            return Operator;
        return Administrator;
    }

    public static bool Allows(string? role, string needed) => role switch
    {
        Administrator => true,
        Operator => needed is Operator or Viewer,
        Viewer => needed == Viewer,
        _ => false,
    };
}
