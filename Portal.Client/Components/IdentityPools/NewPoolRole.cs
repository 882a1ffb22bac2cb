using Portal.Client.Contract;
using Portal.Client.Contract.Iam;

namespace Portal.Client.Components.IdentityPools;

/// <summary>The wizard's answer for one default role: a new role trusting the pool (created once the pool exists and
/// its id is known, since the trust policy names it), an existing role, or none for now.</summary>
public sealed class NewPoolRole
{
    public enum Kind { New, Existing, None }

    public Kind Mode { get; set; } = Kind.New;
    /// <summary>The new role's name; the pool's name with -authenticated / -guest when left empty.</summary>
    public string? NewName { get; set; }
    public string? ExistingArn { get; set; }

    public string NameFor(string poolName, bool authenticated) =>
        string.IsNullOrWhiteSpace(NewName) ? TrustPolicies.RoleName(poolName, authenticated) : NewName.Trim();

    public string Summary(string poolName, bool authenticated) => Mode switch
    {
        Kind.New => $"new role {NameFor(poolName, authenticated)}, trusting this pool",
        Kind.Existing => ExistingArn ?? "none chosen",
        _ => "none for now",
    };

    public string? Problem(bool authenticated) => Mode switch
    {
        Kind.New when !string.IsNullOrWhiteSpace(NewName) && !TrustPolicies.IsRoleName(NewName.Trim()) =>
            $"The {(authenticated ? "signed-in" : "guest")} role's name may use letters, digits and + = , . @ _ - (up to 64).",
        Kind.Existing when string.IsNullOrEmpty(ExistingArn) => $"Choose the {(authenticated ? "signed-in" : "guest")} role, or another option.",
        _ => null,
    };

    /// <summary>The role's ARN, creating the role first when the choice is a new one.</summary>
    public async Task<string?> Resolve(ICognito cognito, string identityPoolId, string poolName, bool authenticated) => Mode switch
    {
        Kind.New => (await IamCatalog.CreateIdentityPoolRole(cognito, identityPoolId, NameFor(poolName, authenticated), authenticated)).Arn,
        Kind.Existing => ExistingArn,
        _ => null,
    };
}
