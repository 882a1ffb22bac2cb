using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Portal.Server.IdentityPools;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Sts;

public sealed record IdentitySession(string IdentityPoolId, string IdentityId, bool Authenticated,
    IReadOnlyList<string> Amr, IReadOnlyDictionary<string, string> PrincipalTags);

public sealed record TemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// Thrown when the role does not exist or its trust policy does not trust this identity; Reason says why.
public sealed class RoleNotTrustedException(string reason) : Exception(reason)
{
    public string Reason => Message;
}

public interface IRoleCredentials
{
    /// Checks the role's trust policy against the identity (Federated principal cognito-identity.amazonaws.com,
    /// sts:AssumeRoleWithWebIdentity, conditions on cognito-identity.amazonaws.com:aud / :amr / :sub) and mints
    /// credentials for it. sessionPolicy (JSON) scopes the session down (guests). Throws RoleNotTrustedException.
    Task<TemporaryCredentials> ForIdentity(string roleArn, IdentitySession session, string? sessionPolicy, TimeSpan duration, CancellationToken ct);
}

/// <summary>A role as the trust check needs it: the row (untracked, shared) and its trust policy parsed once.</summary>
public sealed record TrustedRole(IamRoleRow Row, PolicyDocument? Trust)
{
    /// <summary>Says the role changed (its trust policy, or its deletion) through this instance: the parsed copy cached for
    /// identity-pool credentials is forgotten now and again once the operation is committed. The IAM operations call it.</summary>
    public static async Task Changed(PortalDb db, string roleArn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cache = db.GetService<ConfigCache<TrustedRole>>();
        cache.Forget(roleArn);
        db.ConfigChanged(ChangeNotifications.Role, roleArn);
        await db.Work.AfterCommit(_ =>
        {
            cache.Forget(roleArn);
            return Task.CompletedTask;
        }, ct);
    }
}

/// <summary>The embedded STS's credentials for identity-pool identities: the role's trust policy decides, then a
/// self-contained session token is minted (see <see cref="SessionTokens"/>). The role and its parsed trust policy come from
/// a per-instance cache (<see cref="ConfigCache{T}"/>): a change through this instance applies at once, through another
/// within <see cref="ConfigCache{T}.Ttl"/>.</summary>
public sealed class RoleCredentials(PortalDb db, SessionTokens tokens, ConfigCache<TrustedRole> roles, TimeProvider clock, IOptions<PortalOptions> options) : IRoleCredentials
{
    public const string CognitoIdentityProvider = "cognito-identity.amazonaws.com";
    public const string SessionName = "CognitoIdentityCredentials";

    public async Task<TemporaryCredentials> ForIdentity(string roleArn, IdentitySession session, string? sessionPolicy, TimeSpan duration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var trusted = await roles.Get(roleArn, async c => await db.IamRoles.AsNoTracking().FirstOrDefaultAsync(r => r.Arn == roleArn, c) is { } row
                          ? new TrustedRole(row, PolicyDocument.TryParse(row.AssumeRolePolicyDocument, PolicyKind.Trust, out var parsed, out _) ? parsed : null)
                          : null, ct)
                      ?? throw new RoleNotTrustedException($"Role {roleArn} does not exist.");
        var (role, trust) = (trusted.Row, trusted.Trust);
        if (trust is null) throw new RoleNotTrustedException($"The trust policy of role {roleArn} is not a valid policy.");
        var request = TrustRequest("sts:AssumeRoleWithWebIdentity", role.Arn, session);
        if (!PolicyEvaluator.Evaluate(trust, request).Allowed)
            throw new RoleNotTrustedException($"The trust policy of role {roleArn} does not allow identity pool {session.IdentityPoolId} ({(session.Authenticated ? "authenticated" : "unauthenticated")}) to assume it with web identity.");
        if (session.PrincipalTags.Count > 0)
        {
            // Session tags need sts:TagSession in the trust policy, as on AWS.
            var tag = TrustRequest("sts:TagSession", role.Arn, session);
            foreach (var (k, v) in session.PrincipalTags) tag.With($"aws:RequestTag/{k}", v);
            tag.With("aws:TagKeys", [.. session.PrincipalTags.Keys]);
            if (!PolicyEvaluator.Evaluate(trust, tag).Allowed)
                throw new RoleNotTrustedException($"The trust policy of role {roleArn} does not allow sts:TagSession, which principal tags need.");
        }
        if (sessionPolicy is not null && !ReferenceEquals(sessionPolicy, Portal.Client.Contract.IdentityPools.GuestPolicy.ScopeDown)
            && !PolicyDocument.TryParse(sessionPolicy, PolicyKind.Identity, out _, out var error))
            throw new RoleNotTrustedException($"The session policy is not valid: {error}");

        var now = clock.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds, 900, role.MaxSessionDuration));
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(),
            SecretAccessKey = SessionTokens.NewSecret(),
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            RoleName = role.RoleName,
            SessionName = SessionName,
            IssuedAt = now,
            Expiration = now + lifetime,
            SessionPolicy = sessionPolicy,
            Tags = session.PrincipalTags.ToDictionary(),
            Provider = CognitoIdentityProvider,
            Subject = session.IdentityId,
            Audience = session.IdentityPoolId,
            Amr = [.. session.Amr],
        };
        var token = await tokens.Mint(claims, ct);
        return new TemporaryCredentials(claims.AccessKeyId, claims.SecretAccessKey, token, TruncateToSeconds(claims.Expiration));
    }

    static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    /// <summary>The request a trust policy decides for an identity-pool identity assuming a role.</summary>
    public RequestContext TrustRequest(string action, string roleArn, IdentitySession session) =>
        new RequestContext { Action = action, Resource = roleArn, Principal = new RequestPrincipal("Federated", [CognitoIdentityProvider]) }
            .With($"{CognitoIdentityProvider}:aud", session.IdentityPoolId)
            .With($"{CognitoIdentityProvider}:sub", session.IdentityId)
            .With($"{CognitoIdentityProvider}:amr", [.. session.Amr])
            .With("aws:FederatedProvider", CognitoIdentityProvider)
            .With("aws:CurrentTime", clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
            .With("aws:EpochTime", clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("aws:PrincipalAccount", options.Value.AccountId);
}
