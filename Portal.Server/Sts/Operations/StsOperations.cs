using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Client.Contract.Iam;
using Portal.Client.Contract.Sts;
using Portal.Server.Engine;
using Portal.Server.Iam;
using Portal.Server.Iam.Policies;
using Portal.Server.Storage;
using Portal.Server.Wire;

namespace Portal.Server.Sts.Operations;

/// <summary>Who the signed caller is: an assumed role (from its session token) or the account's admin key (root).</summary>
sealed class GetCallerIdentity(IHttpContextAccessor http, IOptions<PortalOptions> options) : IOperation<GetCallerIdentityRequest, GetCallerIdentityResponse>
{
    public Task<GetCallerIdentityResponse> Handle(GetCallerIdentityRequest request, CancellationToken ct)
    {
        var account = options.Value.AccountId;
        var caller = WireCallers.Of(http.HttpContext);
        return Task.FromResult(caller?.Session is { } session
            ? new GetCallerIdentityResponse { UserId = session.AssumedRoleId, Account = session.Account, Arn = session.AssumedRoleArn }
            : new GetCallerIdentityResponse { UserId = account, Account = account, Arn = $"arn:aws:iam::{account}:root" });
    }
}

/// <summary>STS's AssumeRoleWithWebIdentity: a web identity token (Portal's identity pools' OpenID token for the basic
/// flow, or a registered OIDC provider's ID token) for temporary credentials of a role whose trust policy allows it.</summary>
sealed class AssumeRoleWithWebIdentity(PortalDb db, WebIdentity webIdentity, SessionTokens tokens, TimeProvider clock, IServiceProvider services)
    : IOperation<AssumeRoleWithWebIdentityRequest, AssumeRoleWithWebIdentityResponse>
{
    public async Task<AssumeRoleWithWebIdentityResponse> Handle(AssumeRoleWithWebIdentityRequest request, CancellationToken ct)
    {
        var identity = await webIdentity.Verify(request.WebIdentityToken!, db, ct);
        if (identity.Provider == RoleCredentials.CognitoIdentityProvider && services.GetService<IIdentityIssuer>() is { } own
            && await own.AllowsClassicFlow(identity.Audience, ct) == false)
            throw new InvalidIdentityTokenException("Basic (classic) flow is not enabled for this identity pool.");

        var role = await db.IamRoles.AsNoTracking().FirstOrDefaultAsync(r => r.Arn == request.RoleArn, ct);
        var denied = new StsAccessDeniedException("Not authorized to perform sts:AssumeRoleWithWebIdentity");
        if (role is null || !PolicyDocument.TryParse(role.AssumeRolePolicyDocument, PolicyKind.Trust, out var trust, out _)) throw denied;
        var context = new RequestContext
        {
            Action = "sts:AssumeRoleWithWebIdentity",
            Resource = role.Arn,
            Principal = new RequestPrincipal("Federated", [identity.PrincipalId, identity.Provider]),
        }
            .With($"{identity.Provider}:aud", identity.Audience)
            .With($"{identity.Provider}:sub", identity.Subject)
            .With("aws:FederatedProvider", identity.PrincipalId)
            .With("aws:CurrentTime", clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .With("aws:EpochTime", clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (identity.Amr.Count > 0) context.With($"{identity.Provider}:amr", [.. identity.Amr]);
        if (identity.Claims.TryGetValue("azp", out var azp) && azp.ValueKind == System.Text.Json.JsonValueKind.String)
            context.With($"{identity.Provider}:oaud", azp.GetString()!);
        if (!PolicyEvaluator.Evaluate(trust!, context).Allowed) throw denied;

        var duration = request.DurationSeconds ?? 3600;
        if (duration > role.MaxSessionDuration)
            throw new ValidationErrorException($"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        var (packed, policyArns) = await SessionRequest.SessionPolicies(db, request.Policy, request.PolicyArns, ct);

        var now = clock.GetUtcNow();
        var claims = new SessionClaims
        {
            AccessKeyId = SessionTokens.NewAccessKeyId(),
            SecretAccessKey = SessionTokens.NewSecret(),
            RoleArn = role.Arn,
            RoleId = role.RoleId,
            RoleName = role.RoleName,
            SessionName = request.RoleSessionName!,
            IssuedAt = now,
            Expiration = now.AddSeconds(duration),
            SessionPolicy = request.Policy,
            SessionPolicyArns = policyArns,
            Provider = identity.Provider,
            Subject = identity.Subject,
            Audience = identity.Audience,
            Amr = [.. identity.Amr],
        };
        var token = await tokens.Mint(claims, ct);
        return new AssumeRoleWithWebIdentityResponse
        {
            Credentials = SessionRequest.Credentials(claims, token),
            SubjectFromWebIdentityToken = identity.Subject,
            AssumedRoleUser = new AssumedRoleUser { AssumedRoleId = claims.AssumedRoleId, Arn = claims.AssumedRoleArn },
            PackedPolicySize = packed,
            Provider = identity.Provider,
            Audience = identity.Audience,
        };
    }
}
