using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.Sts;
using Portal.Server.Engine;
using Portal.Server.Iam;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;

namespace Portal.Server.Sts.Operations;

/// <summary>STS's AssumeRoleWithSAML: a SAML response of an IAM SAML provider's IdP for temporary credentials of a role
/// the assertion's Role attribute names (with this provider) and whose trust policy allows the provider, the SAML:*
/// keys deciding its conditions as on AWS.</summary>
sealed class AssumeRoleWithSaml(PortalDb db, SamlAssertions saml, SessionTokens tokens, TimeProvider clock)
    : IOperation<AssumeRoleWithSAMLRequest, AssumeRoleWithSAMLResponse>
{
    public async Task<AssumeRoleWithSAMLResponse> Handle(AssumeRoleWithSAMLRequest request, CancellationToken ct)
    {
        var verified = await saml.Verify(request.PrincipalArn!, request.SAMLAssertion!, db, ct);
        var denied = new StsAccessDeniedException("Not authorized to perform sts:AssumeRoleWithSAML");
        // The IdP says which roles the user may take, as "role-arn,provider-arn" pairs (either order): the role asked for
        // must be one of them, paired with this provider.
        if (!verified.Roles().Contains((request.RoleArn!, request.PrincipalArn!))) throw denied;
        var sessionName = verified.Attribute(SamlAssertions.RoleSessionNameAttribute);
        if (sessionName is null || sessionName.Length is < 2 or > 64 || !sessionName.All(c => char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c)))
            throw new InvalidIdentityTokenException("The SAML assertion has no valid RoleSessionName attribute.");

        var role = await db.IamRoles.AsNoTracking().FirstOrDefaultAsync(r => r.Arn == request.RoleArn, ct);
        if (role is null || !PolicyDocument.TryParse(role.AssumeRolePolicyDocument, PolicyKind.Trust, out var trust, out _)) throw denied;
        var assertion = verified.Assertion;
        var context = new RequestContext
        {
            Action = "sts:AssumeRoleWithSAML",
            Resource = role.Arn,
            Principal = new RequestPrincipal("Federated", [verified.ProviderArn]),
        }
            .With("SAML:aud", SamlAssertions.Recipient)
            .With("SAML:iss", assertion.Issuer)
            .With("SAML:sub", assertion.NameId)
            .With("SAML:sub_type", verified.SubjectType)
            .With("SAML:namequalifier", verified.NameQualifier)
            .With("aws:FederatedProvider", verified.ProviderArn)
            .With("aws:CurrentTime", clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .With("aws:EpochTime", clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (!PolicyEvaluator.Evaluate(trust!, context).Allowed) throw denied;

        var duration = request.DurationSeconds ?? 3600;
        if (duration > role.MaxSessionDuration)
            throw new ValidationErrorException("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        var (packed, policyArns) = await SessionRequest.SessionPolicies(db, request.Policy, request.PolicyArns, ct);
        // The assertion is good for one session: a second use (or a parallel one) is refused by the replay guard's key.
        await saml.Once(verified, db, ct);
        // The session ends no later than the IdP allows (the AuthnStatement's SessionNotOnOrAfter), as on AWS.
        var now = clock.GetUtcNow();
        var expiration = now.AddSeconds(duration);
        if (assertion.SessionNotOnOrAfter is { } sessionEnd && sessionEnd < expiration)
        {
            if (sessionEnd <= now) throw new ExpiredTokenException("The SAML assertion's session has ended (SessionNotOnOrAfter).");
            expiration = sessionEnd;
        }

        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(),
            SecretAccessKey = SessionTokens.NewSecret(),
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            RoleName = role.RoleName,
            SessionName = sessionName,
            IssuedAt = now,
            Expiration = expiration,
            SessionPolicy = request.Policy,
            SessionPolicyArns = policyArns,
            Provider = verified.ProviderArn,
            Subject = assertion.NameId,
            Audience = SamlAssertions.Recipient,
        };
        var token = await tokens.Mint(claims, ct);
        return new AssumeRoleWithSAMLResponse
        {
            Credentials = SessionRequest.Credentials(claims, token),
            AssumedRoleUser = new AssumedRoleUser { AssumedRoleId = claims.AssumedRoleId, Arn = claims.AssumedRoleArn },
            PackedPolicySize = packed,
            Subject = assertion.NameId,
            SubjectType = verified.SubjectType,
            Issuer = assertion.Issuer,
            Audience = SamlAssertions.Recipient,
            NameQualifier = verified.NameQualifier,
        };
    }
}
