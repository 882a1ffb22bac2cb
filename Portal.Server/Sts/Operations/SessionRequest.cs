using Portal.Client.Contract.Iam;
using Portal.Client.Contract.Sts;
using Portal.Server.Iam;
using Portal.Server.Iam.Policies;

namespace Portal.Server.Sts.Operations;

/// <summary>What STS's AssumeRoleWith… operations share: the session policy's checks and the credentials they answer.</summary>
static class SessionRequest
{
    /// <summary>Checks the inline session policy as IAM does and answers its packed size in percent (null without one);
    /// managed session policies are refused.</summary>
    public static int? PackedPolicySize(string? policy, List<PolicyDescriptorType>? policyArns)
    {
        int? packed = null;
        if (policy is not null)
        {
            IamStore.ValidatePolicy(policy, PolicyKind.Identity);
            packed = (int)Math.Ceiling(IamStore.SizeWithoutWhitespace(policy) * 100.0 / 2048);
            if (packed > 100) throw new PackedPolicyTooLargeException($"Packed policy consumes {packed}% of allotted space, please use smaller policy.");
        }
        if (policyArns is { Count: > 0 })
            throw new InvalidInputException("Managed session policies (PolicyArns) are not supported by this STS.");
        return packed;
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
