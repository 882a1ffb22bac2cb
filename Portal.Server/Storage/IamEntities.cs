using Microsoft.EntityFrameworkCore;

namespace Portal.Server.Storage;

// IAM's rows: roles with their trust and inline policies, OIDC and SAML identity providers. Tags are JSON lists of
// {Key, Value} in the order given (IAM answers them so); policy documents are kept as sent, decoded.

/// <summary>An IAM role. <see cref="RoleNameKey"/> is the upper-cased name: IAM names are unique regardless of case.</summary>
public sealed class IamRoleRow
{
    public required string RoleId { get; set; }                  // AROA + 17 base-32 characters
    public required string RoleName { get; set; }
    public required string RoleNameKey { get; set; }
    public string Path { get; set; } = "/";
    public required string Arn { get; set; }                     // arn:aws:iam::{account}:role{path}{name}
    public required string AssumeRolePolicyDocument { get; set; }
    public string? Description { get; set; }
    public int MaxSessionDuration { get; set; } = 3600;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public string Tags { get; set; } = "[]";
    /// <summary>The managed policy that bounds the role's permissions (a foreign key: the policy cannot go while it bounds).</summary>
    public string? PermissionsBoundaryArn { get; set; }
}

/// <summary>A customer managed policy. Its name is unique regardless of case (<see cref="PolicyNameKey"/>); every change
/// of its versions first bumps <see cref="Revision"/> (a conditional update), which serializes them per policy.</summary>
public sealed class IamManagedPolicyRow
{
    public required string PolicyId { get; set; }                // ANPA + 17 base-32 characters
    public required string PolicyName { get; set; }
    public required string PolicyNameKey { get; set; }
    public string Path { get; set; } = "/";
    public required string Arn { get; set; }                     // arn:aws:iam::{account}:policy{path}{name}
    public string? Description { get; set; }
    public required string DefaultVersionId { get; set; }
    public int NextVersion { get; set; } = 2;                    // the number of the next version CreatePolicyVersion makes
    public long Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string Tags { get; set; } = "[]";
}

/// <summary>A version of a managed policy (v1, v2, …): at most five are kept.</summary>
public sealed class IamPolicyVersionRow
{
    public required string PolicyId { get; set; }
    public required string VersionId { get; set; }
    public required string Document { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A managed policy attached to a role (AttachRolePolicy): the attachment count is the number of these rows, and
/// the foreign key keeps a policy from being deleted while attached.</summary>
public sealed class IamRolePolicyAttachmentRow
{
    public required string RoleId { get; set; }
    public required string PolicyId { get; set; }
}

/// <summary>An inline permission policy of a role (PutRolePolicy); one per role and name.</summary>
public sealed class IamRolePolicyRow
{
    public required string RoleId { get; set; }
    public required string PolicyName { get; set; }
    public required string PolicyDocument { get; set; }
}

/// <summary>What IAM's two kinds of identity provider share: the ARN that names them.</summary>
public interface IIamProviderRow
{
    string Arn { get; }
}

/// <summary>An IAM OpenID Connect identity provider; its ARN names the URL without its scheme.</summary>
public sealed class IamOidcProviderRow : IIamProviderRow
{
    public required string Arn { get; set; }                     // arn:aws:iam::{account}:oidc-provider/{host/path}
    public required string Url { get; set; }                     // https://host/path, as the issuer is written
    public string ClientIds { get; set; } = "[]";                // JSON list: the audiences accepted
    public string Thumbprints { get; set; } = "[]";              // JSON list of hex SHA-1 thumbprints
    public DateTimeOffset CreatedAt { get; set; }
    public string Tags { get; set; } = "[]";
}

/// <summary>An IAM SAML identity provider.</summary>
public sealed class IamSamlProviderRow : IIamProviderRow
{
    public required string Arn { get; set; }                     // arn:aws:iam::{account}:saml-provider/{name}
    public required string Name { get; set; }
    public required string MetadataDocument { get; set; }
    public string SamlProviderUuid { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ValidUntil { get; set; }
    public string Tags { get; set; } = "[]";
}

public static class IamModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<IamRoleRow>(e =>
        {
            e.HasKey(x => x.RoleId);
            e.Property(x => x.RoleId).HasMaxLength(32);
            e.Property(x => x.RoleName).HasMaxLength(64);
            e.Property(x => x.RoleNameKey).HasMaxLength(64);
            e.Property(x => x.Path).HasMaxLength(512);
            e.HasIndex(x => x.RoleNameKey).IsUnique();
            e.HasIndex(x => x.Arn).IsUnique();
            e.Property(x => x.PermissionsBoundaryArn).HasMaxLength(2048);
            e.HasOne<IamManagedPolicyRow>().WithMany().HasForeignKey(x => x.PermissionsBoundaryArn).HasPrincipalKey(p => p.Arn)
                .OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<IamManagedPolicyRow>(e =>
        {
            e.HasKey(x => x.PolicyId);
            e.Property(x => x.PolicyId).HasMaxLength(32);
            e.Property(x => x.PolicyName).HasMaxLength(128);
            e.Property(x => x.PolicyNameKey).HasMaxLength(128);
            e.Property(x => x.Path).HasMaxLength(512);
            e.Property(x => x.Arn).HasMaxLength(2048);
            e.Property(x => x.DefaultVersionId).HasMaxLength(32);
            e.HasIndex(x => x.PolicyNameKey).IsUnique();
            e.HasAlternateKey(x => x.Arn);
        });
        b.Entity<IamPolicyVersionRow>(e =>
        {
            e.HasKey(x => new { x.PolicyId, x.VersionId });
            e.Property(x => x.VersionId).HasMaxLength(32);
            e.HasOne<IamManagedPolicyRow>().WithMany().HasForeignKey(x => x.PolicyId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IamRolePolicyAttachmentRow>(e =>
        {
            e.HasKey(x => new { x.RoleId, x.PolicyId });
            e.HasIndex(x => x.PolicyId);
            e.HasOne<IamRoleRow>().WithMany().HasForeignKey(x => x.RoleId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<IamManagedPolicyRow>().WithMany().HasForeignKey(x => x.PolicyId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<IamRolePolicyRow>(e =>
        {
            e.HasKey(x => new { x.RoleId, x.PolicyName });
            e.Property(x => x.PolicyName).HasMaxLength(128);
            e.HasOne<IamRoleRow>().WithMany().HasForeignKey(x => x.RoleId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IamOidcProviderRow>(e =>
        {
            e.HasKey(x => x.Arn);
            e.Property(x => x.Url).HasMaxLength(255);
        });
        b.Entity<IamSamlProviderRow>(e =>
        {
            e.HasKey(x => x.Arn);
            e.Property(x => x.Name).HasMaxLength(128);
            e.HasIndex(x => x.Name).IsUnique();
        });
    }
}
