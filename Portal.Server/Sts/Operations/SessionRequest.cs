using Portal.Client.Contract.Iam;
using Portal.Client.Contract.Sts;
using Portal.Server.Iam;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Sts.Operations;

/// <summary>What STS's AssumeRoleWith… operations share: the session policy's checks and the credentials they answer.</summary>
static class SessionRequest
{
    /// <summary>STS's limit of managed session policies (PolicyArns) per request.</summary>
    public const int MaxPolicyArns = 10;
    /// <summary>The plain text of the inline and managed session policies together (the inline policy without whitespace,
    /// and the ARNs), as STS limits it before packing.</summary>
    public const int MaxPlainText = 2048;

    /// <summary>Checks the session policies as STS does: the inline one valid, at most ten managed ones that exist
    /// (customer managed policies of this IAM), and their plain text within the packed limit. Answers the packed size in
    /// percent (null without session policies) and the managed policies' ARNs (null without).</summary>
    public static async Task<(int? Packed, List<string>? Arns)> SessionPolicies(PortalDb db, string? policy, List<PolicyDescriptorType>? policyArns, CancellationToken ct)
    {
        if (policy is not null) IamStore.ValidatePolicy(policy, PolicyKind.Identity);
        List<string>? arns = null;
        if (policyArns is { Count: > 0 })
        {
            if (policyArns.Count > MaxPolicyArns)
                throw new ValidationErrorException($"1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to {MaxPolicyArns}");
            arns = [.. policyArns.Select(p => p.arn ?? throw new ValidationErrorException("1 validation error detected: Value null at 'policyArns.member.arn' failed to satisfy constraint: Member must not be null")).Distinct()];
            foreach (var arn in arns)
            {
                var parts = arn.Split(':', 6);
                if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[5].StartsWith("policy/", StringComparison.Ordinal))
                    throw new ValidationErrorException($"The policy ARN {arn} is not valid.");
            }
            var known = await db.IamManagedPolicies.AsNoTracking().Where(p => arns.Contains(p.Arn)).Select(p => p.Arn).ToListAsync(ct);
            if (arns.FirstOrDefault(a => !known.Contains(a)) is { } unknown)
                throw new MalformedPolicyDocumentException($"Policy {unknown} does not exist or is not attachable.");
        }
        if (policy is null && arns is null) return (null, null);
        var plain = (policy is null ? 0 : IamStore.SizeWithoutWhitespace(policy)) + (arns?.Sum(a => a.Length) ?? 0);
        var packed = (int)Math.Ceiling(plain * 100.0 / MaxPlainText);
        if (packed > 100) throw new PackedPolicyTooLargeException($"Packed policy consumes {packed}% of allotted space, please use smaller policy.");
        return (packed, arns);
    }

    /// <summary>The credentials of a minted session, its expiry in whole seconds as STS writes it.</summary>
    public static Credentials Credentials(SessionClaims claims, string sessionToken) => new()
    {
        AccessKeyId = claims.AccessKeyId,
        SecretAccessKey = claims.SecretAccessKey,
        SessionToken = sessionToken,
        Expiration = DateTimeOffset.FromUnixTimeSeconds(claims.Expiration.ToUnixTimeSeconds()),
    };
}
