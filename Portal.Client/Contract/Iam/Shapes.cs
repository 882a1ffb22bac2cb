// IAM API shapes, named and shaped as AWS names them.
using System.ComponentModel.DataAnnotations;

namespace Portal.Client.Contract.Iam;

public sealed record AttachedPermissionsBoundary
{
    [AllowedValues("PermissionsBoundaryPolicy")]
    public string? PermissionsBoundaryType { get; init; }
    [StringLength(2048, MinimumLength = 20)]
    public string? PermissionsBoundaryArn { get; init; }
}

public sealed record OpenIDConnectProviderListEntry
{
    [StringLength(2048, MinimumLength = 20)]
    public string? Arn { get; init; }
}

public sealed record Role
{
    [Required]
    [StringLength(512, MinimumLength = 1)]
    [RegularExpression(@"(?:(\u002F)|(\u002F[\u0021-\u007F]+\u002F))$")]
    public string? Path { get; init; }
    [Required]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"[\w+=,.@-]+")]
    public string? RoleName { get; init; }
    [Required]
    [StringLength(128, MinimumLength = 16)]
    [RegularExpression(@"[\w]+")]
    public string? RoleId { get; init; }
    [Required]
    [StringLength(2048, MinimumLength = 20)]
    public string? Arn { get; init; }
    [Required]
    public DateTimeOffset? CreateDate { get; init; }
    [StringLength(131072, MinimumLength = 1)]
    [RegularExpression(@"[\u0009\u000A\u000D\u0020-\u00FF]+")]
    public string? AssumeRolePolicyDocument { get; init; }
    [StringLength(1000, MinimumLength = 0)]
    [RegularExpression(@"[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*")]
    public string? Description { get; init; }
    [Range(3600, 43200)]
    public int? MaxSessionDuration { get; init; }
    public AttachedPermissionsBoundary? PermissionsBoundary { get; init; }
    [Length(0, 50)]
    public List<Tag>? Tags { get; init; }
    public RoleLastUsed? RoleLastUsed { get; init; }
}

public sealed record RoleLastUsed
{
    public DateTimeOffset? LastUsedDate { get; init; }
    public string? Region { get; init; }
}

public sealed record SAMLProviderListEntry
{
    [StringLength(2048, MinimumLength = 20)]
    public string? Arn { get; init; }
    public DateTimeOffset? ValidUntil { get; init; }
    public DateTimeOffset? CreateDate { get; init; }
}

public sealed record Tag
{
    [Required]
    [StringLength(128, MinimumLength = 1)]
    [RegularExpression(@"[\p{L}\p{Z}\p{N}_.:/=+\-@]+")]
    public string? Key { get; init; }
    [Required]
    [StringLength(256, MinimumLength = 0)]
    [RegularExpression(@"[\p{L}\p{Z}\p{N}_.:/=+\-@]*")]
    public string? Value { get; init; }
}

public sealed record Policy
{
    public string? PolicyName { get; init; }
    public string? PolicyId { get; init; }
    public string? Arn { get; init; }
    public string? Path { get; init; }
    public string? DefaultVersionId { get; init; }
    public int? AttachmentCount { get; init; }
    public int? PermissionsBoundaryUsageCount { get; init; }
    public bool? IsAttachable { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset? CreateDate { get; init; }
    public DateTimeOffset? UpdateDate { get; init; }
    public List<Tag>? Tags { get; init; }
}

public sealed record PolicyVersion
{
    public string? Document { get; init; }
    public string? VersionId { get; init; }
    public bool? IsDefaultVersion { get; init; }
    public DateTimeOffset? CreateDate { get; init; }
}

public sealed record PolicyRole
{
    public string? RoleName { get; init; }
    public string? RoleId { get; init; }
}

public sealed record PolicyGroup
{
    public string? GroupName { get; init; }
    public string? GroupId { get; init; }
}

public sealed record PolicyUser
{
    public string? UserName { get; init; }
    public string? UserId { get; init; }
}
