using Microsoft.EntityFrameworkCore;

namespace Portal.Server.Storage;

/// <summary>An identity pool (cognito-identity): its flags in columns, the rest of its IdentityPool settings as JSON.</summary>
public sealed class IdentityPoolRow
{
    public required string Id { get; set; }               // us-east-1:uuid
    public required string Name { get; set; }
    public bool AllowUnauthenticated { get; set; }
    public bool AllowClassicFlow { get; set; }
    public string? DeveloperProviderName { get; set; }    // set once, never changed (as Cognito); unique in the account
    public string Settings { get; set; } = "{}";          // JSON: providers (social, user pools, OIDC, SAML)
    public string Tags { get; set; } = "{}";              // JSON object of tag key → value
    public string Roles { get; set; } = "{}";             // JSON: Roles and RoleMappings (SetIdentityPoolRoles)
    public string PrincipalTags { get; set; } = "{}";     // JSON: provider → {UseDefaults, PrincipalTags}
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public long Version { get; set; }                     // optimistic concurrency for settings edits
}

/// <summary>An identity of a pool: authenticated when it has logins, a guest otherwise; disabled (as Cognito marks it)
/// once the last of its logins is unlinked, so it can never be used as a guest.</summary>
public sealed class IdentityRow
{
    public required string Id { get; set; }               // us-east-1:uuid
    public required string IdentityPoolId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastModifiedAt { get; set; }
    public bool Disabled { get; set; }
}

/// <summary>A login linked to an identity: one per (pool, provider, user id), the primary key. An identity holds one
/// login per provider, except developer user identifiers, of which merged identities hold several.</summary>
public sealed class IdentityLoginRow
{
    public required string IdentityPoolId { get; set; }
    public required string Provider { get; set; }         // canonical provider name (user pools in the AWS form)
    public required string LoginId { get; set; }          // the provider's user id (sub, developer user identifier)
    public required string IdentityId { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
}

/// <summary>An identity pool's usage of one UTC day: credentials issued (GetCredentialsForIdentity), counted in memory by
/// each instance and added here in batches (<see cref="Portal.Server.IdentityPools.CredentialsUsage"/>).</summary>
public sealed class IdentityPoolUsageDayRow
{
    public required string IdentityPoolId { get; set; }
    public required string Day { get; set; }              // yyyy-MM-dd (UTC)
    public long CredentialsIssued { get; set; }
}

public static class IdentityPoolModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<IdentityPoolRow>(e =>
        {
            e.ToTable("IdentityPools");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(55);
            e.Property(x => x.Name).HasMaxLength(128);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.DeveloperProviderName).HasMaxLength(128);
            // One developer provider name per account, as Cognito: a developer login names one pool's identity.
            e.HasIndex(x => x.DeveloperProviderName).IsUnique();
        });
        b.Entity<IdentityRow>(e =>
        {
            e.ToTable("Identities");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(55);
            e.HasIndex(x => new { x.IdentityPoolId, x.Id });
            e.HasOne<IdentityPoolRow>().WithMany().HasForeignKey(x => x.IdentityPoolId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IdentityLoginRow>(e =>
        {
            e.ToTable("IdentityLogins");
            e.HasKey(x => new { x.IdentityPoolId, x.Provider, x.LoginId });
            e.Property(x => x.Provider).HasMaxLength(2048);
            e.Property(x => x.LoginId).HasMaxLength(1024);
            e.HasIndex(x => x.IdentityId);
            e.HasOne<IdentityRow>().WithMany().HasForeignKey(x => x.IdentityId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IdentityPoolUsageDayRow>(e =>
        {
            // No foreign key: a batch counted before the pool's deletion may still arrive after it (DeleteIdentityPool
            // removes the pool's days; such a late row is harmless and read by nothing).
            e.ToTable("IdentityPoolUsageDays");
            e.HasKey(x => new { x.IdentityPoolId, x.Day });
            e.Property(x => x.IdentityPoolId).HasMaxLength(55);
            e.Property(x => x.Day).HasMaxLength(10);
        });
    }
}
