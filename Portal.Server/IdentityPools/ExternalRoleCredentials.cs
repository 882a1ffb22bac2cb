using Portal.Client.Contract;
using Portal.Server.Sts;

namespace Portal.Server.IdentityPools;

/// <summary>
/// External STS mode (<c>Portal:IdentityPools:Sts:Mode = External</c>): the enhanced flow's credentials come from a real
/// STS, as Cognito gets them. Portal signs its own OpenID token for the identity (as GetOpenIdToken does: aud the pool,
/// sub the identity, amr, principal tags in the AWS tags claim) and calls the STS's AssumeRoleWithWebIdentity for the
/// chosen role, guests with the scope-down policy as Policy; the roles live in an account whose IAM has Portal's identity
/// issuer as an OIDC provider. Any error answer of STS is Cognito's InvalidIdentityPoolConfigurationException ("STS
/// returned an error response to the request to assume the role", the API reference says); an STS that cannot be reached
/// or fails is ExternalServiceException.
/// </summary>
public sealed class ExternalRoleCredentials(IdentityTokens tokens, ExternalSts sts, ILogger<ExternalRoleCredentials> log) : IRoleCredentials
{
    public async Task<TemporaryCredentials> ForIdentity(string roleArn, IdentitySession session, string? sessionPolicy, TimeSpan duration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var token = await tokens.Issue(session.IdentityPoolId, session.IdentityId, session.Amr, session.PrincipalTags, IdentityTokens.DefaultValidity, ct);
        try
        {
            return await sts.AssumeRoleWithWebIdentity(roleArn, RoleCredentials.SessionName, token, sessionPolicy, duration, ct);
        }
        catch (ExternalStsException e)
        {
            log.LogWarning("External STS refused {RoleArn} for identity pool {IdentityPoolId}: {Code} {Message}", roleArn, session.IdentityPoolId, e.Code, e.Message);
            throw new RoleNotTrustedException($"STS refused the role: {e.Code}.");
        }
        catch (ExternalStsUnavailableException e)
        {
            log.LogWarning("External STS failed for {RoleArn}: {Reason}", roleArn, e.Message);
            throw new ExternalServiceException("The security token service could not complete the request; try again.");
        }
    }
}
