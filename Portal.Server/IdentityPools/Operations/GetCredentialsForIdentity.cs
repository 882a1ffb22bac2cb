using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Engine;
using Portal.Server.Sts;

namespace Portal.Server.IdentityPools.Operations;

/// <summary>
/// The enhanced flow: credentials for the identity's role, chosen as Cognito chooses it (<see cref="RoleChoice"/>),
/// minted by STS after the role's trust policy accepts the identity (aud the pool, amr authenticated or
/// unauthenticated). Guests' sessions carry Cognito's scope-down policy; authenticated ones the principal tags of their
/// logins. A role that is missing or does not trust the identity is Cognito's InvalidIdentityPoolConfigurationException.
/// </summary>
sealed class GetCredentialsForIdentity(IdentityAccess access, IRoleCredentials credentials, CredentialsUsage usage)
    : IOperation<GetCredentialsForIdentityRequest, GetCredentialsForIdentityResponse>
{
    public static readonly TimeSpan Validity = TimeSpan.FromHours(1);

    public async Task<GetCredentialsForIdentityResponse> Handle(GetCredentialsForIdentityRequest request, CancellationToken ct)
    {
        var proven = await access.Prove(request.IdentityId, request.Logins, ct);
        var logins = proven.Logins.Where(l => !l.IsIdentityToken).ToList();
        var role = RoleChoice.For(IdentityPoolStore.Roles(proven.Pool), logins, proven.Authenticated, request.CustomRoleArn);
        var tags = PrincipalTagChoice.For(IdentityPoolStore.PrincipalTags(proven.Pool), logins);
        if (proven.Logins.FirstOrDefault(l => l.IsIdentityToken) is { } developer)
            foreach (var (k, v) in IdentityTokens.PrincipalTagsOf(developer.Claims)) tags.TryAdd(k, v);
        var session = new IdentitySession(proven.Pool.Id, proven.Identity.Id, proven.Authenticated, proven.Amr(), tags);
        TemporaryCredentials minted;
        try
        {
            minted = await credentials.ForIdentity(role.RoleArn, session, proven.Authenticated ? null : GuestPolicy.ScopeDown, Validity, ct);
        }
        catch (RoleNotTrustedException)
        {
            throw new InvalidIdentityPoolConfigurationException("Invalid identity pool configuration. Check assigned IAM roles for this pool.");
        }
        usage.CredentialsIssued(proven.Pool.Id);
        return new GetCredentialsForIdentityResponse
        {
            IdentityId = proven.Identity.Id,
            Credentials = new Credentials
            {
                AccessKeyId = minted.AccessKeyId, SecretKey = minted.SecretAccessKey, SessionToken = minted.SessionToken, Expiration = minted.Expiration,
            },
        };
    }
}
