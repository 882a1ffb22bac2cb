using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Iam;

/// <summary>What IAM's operations share: ARNs and ids, role lookup, policy and tag validation, paging markers.</summary>
public sealed class IamStore(PortalDb db, IOptions<PortalOptions> options, AuditTarget audit)
{
    /// <summary>IAM's default quota for a role's trust policy, in characters without whitespace.</summary>
    public const int MaxTrustPolicySize = 2048;
    /// <summary>IAM's quota for all inline policies of a role together, in characters without whitespace.</summary>
    public const int MaxInlinePolicySize = 10240;
    public const int MaxTags = 50;

    public PortalDb Db => db;
    public string AccountId => options.Value.AccountId;

    public string RoleArn(string path, string name) => $"arn:aws:iam::{AccountId}:role{path}{name}";
    public string PolicyArn(string path, string name) => $"arn:aws:iam::{AccountId}:policy{path}{name}";
    public string OidcProviderArn(string urlWithoutScheme) => $"arn:aws:iam::{AccountId}:oidc-provider/{urlWithoutScheme}";
    public string SamlProviderArn(string name) => $"arn:aws:iam::{AccountId}:saml-provider/{name}";

    /// <summary>AROA + 17 upper-case letters and digits, as IAM writes role ids.</summary>
    public static string NewRoleId() => "AROA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17);

    /// <summary>ANPA + 17 upper-case letters and digits, as IAM writes managed policy ids.</summary>
    public static string NewPolicyId() => "ANPA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17);

    public static string NameKey(string name) => name.ToUpperInvariant();

    /// <summary>The role by its name (any case); the operation's audit entry names its ARN.</summary>
    public async Task<IamRoleRow> Role(string? roleName, CancellationToken ct, bool tracked = false)
    {
        var key = NameKey(roleName ?? "");
        var q = tracked ? db.IamRoles : db.IamRoles.AsNoTracking();
        var role = await q.FirstOrDefaultAsync(r => r.RoleNameKey == key, ct)
                   ?? throw new NoSuchEntityException($"The role with name {roleName} cannot be found.");
        Acted(role.Arn);
        return role;
    }

    /// <summary>Names what the operation acted on in its audit entry (an ARN).</summary>
    public void Acted(string arn) => audit.Name = arn;

    /// <summary>A policy document as IAM checks it: valid for its use, and within the size quota.</summary>
    public static PolicyDocument ValidatePolicy(string? json, PolicyKind kind)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new MalformedPolicyDocumentException("Syntax errors in policy.");
        return PolicyDocument.Parse(json, kind);
    }

    public static int SizeWithoutWhitespace(string text) => text.Count(c => !char.IsWhiteSpace(c));

    public static void ValidateTags(List<Tag>? tags)
    {
        if (tags is null) return;
        if (tags.Count > MaxTags) throw new IamLimitExceededException($"The number of tags has reached the maximum limit of {MaxTags}.");
        if (tags.GroupBy(t => t.Key!, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
            throw new InvalidInputException("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        if (tags.Any(t => t.Key!.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
            throw new InvalidInputException("User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.");
    }

    public static string TagsJson(List<Tag>? tags) => JsonSerializer.Serialize(tags ?? [], CognitoJson.Options);

    public static List<Tag> Tags(string json) => JsonSerializer.Deserialize<List<Tag>>(json, CognitoJson.Options) ?? [];

    public static List<string> Strings(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static string StringsJson(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToList());

    /// <summary>A role as IAM answers it; GetRole adds tags and last use, ListRoles leaves them out.</summary>
    public static Role ToRole(IamRoleRow row, bool detailed) => new()
    {
        Path = row.Path,
        RoleName = row.RoleName,
        RoleId = row.RoleId,
        Arn = row.Arn,
        CreateDate = row.CreatedAt,
        AssumeRolePolicyDocument = row.AssumeRolePolicyDocument,
        Description = row.Description,
        MaxSessionDuration = row.MaxSessionDuration,
        PermissionsBoundary = detailed && row.PermissionsBoundaryArn is { } boundary
            ? new AttachedPermissionsBoundary { PermissionsBoundaryType = "PermissionsBoundaryPolicy", PermissionsBoundaryArn = boundary }
            : null,
        Tags = detailed && Tags(row.Tags) is { Count: > 0 } tags ? tags : null,
        RoleLastUsed = detailed ? new RoleLastUsed { LastUsedDate = row.LastUsedAt } : null,
    };

    /// <summary>Paging markers are opaque to clients: the last key answered, base64url-encoded.</summary>
    public static string Marker(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string? AfterKey(string? marker)
    {
        if (marker is null) return null;
        try
        {
            var s = marker.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            throw new ValidationErrorException("Invalid Marker.");
        }
    }

    /// <summary>The page of <paramref name="sorted"/> after the marker, and the next marker when more remain.</summary>
    public static (List<T> Page, string? Next) Page<T>(List<T> sortedAfterMarker, int? maxItems, Func<T, string> key)
    {
        var max = maxItems ?? 100;
        if (sortedAfterMarker.Count <= max) return (sortedAfterMarker, null);
        var page = sortedAfterMarker.Take(max).ToList();
        return (page, Marker(key(page[^1])));
    }
}
