using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Federation;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Iam;

/// <summary>AssumeRoleWithSAML hardened as AWS is: an assertion gets credentials once (also when sent twice at the same
/// moment), the session ends by the IdP's SessionNotOnOrAfter, the role must be one the assertion lists with this provider
/// (pairs in either order), and managed session policies (PolicyArns) are checked and carried by the credentials.</summary>
[Collection(ServerCollection.Name)]
public sealed class IamSamlStsTests(PortalServer server)
{
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    public static string Response(SamlTestIdp idp, DateTimeOffset now, string[] roles, string? assertionId = null, DateTimeOffset? sessionEnd = null)
    {
        var shape = new SamlTestIdp.ResponseShape
        {
            Audience = "urn:amazon:webservices", Acs = "https://signin.aws.amazon.com/saml", NameId = "jane@example.com", Now = now,
            Attributes = new() { ["https://aws.amazon.com/SAML/Attributes/RoleSessionName"] = "jane" },
            MultiValued = new() { [RoleAttribute] = roles },
            SessionNotOnOrAfter = sessionEnd,
        };
        if (assertionId is not null) shape = shape with { AssertionId = assertionId };
        var document = idp.Response(shape);
        idp.Sign(SamlTestIdp.Assertion(document), idp.Certificate);
        return SamlTestIdp.Encode(document);
    }

    /// <summary>An IAM SAML provider for <paramref name="idp"/> and a role trusting it, with the given inline policy.</summary>
    public static async Task<(string ProviderArn, Role Role)> Setup(Dispatcher engine, SamlTestIdp idp, string? inlinePolicy = null)
    {
        var providerArn = (await engine.Send(new CreateSAMLProviderRequest { Name = PortalServer.Unique("saml"), SAMLMetadataDocument = idp.Metadata() })).SAMLProviderArn!;
        var trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"@arn@"},"Action":"sts:AssumeRoleWithSAML",
              "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}
            """.Replace("@arn@", providerArn, StringComparison.Ordinal);
        var role = (await engine.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("samlrole"), AssumeRolePolicyDocument = trust, MaxSessionDuration = 7200 })).Role!;
        if (inlinePolicy is not null) await engine.Send(new PutRolePolicyRequest { RoleName = role.RoleName, PolicyName = "inline", PolicyDocument = inlinePolicy });
        return (providerArn, role);
    }

    public static AmazonSecurityTokenServiceClient Sts(PortalServer server) =>
        new(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = server.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task The_same_assertion_gets_credentials_once_even_when_sent_twice_at_the_same_moment()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        var (providerArn, role) = await Setup(Engine, idp);
        using var sts = Sts(server);
        var now = server.Clock.GetUtcNow();
        AssumeRoleWithSAMLRequest Request(string assertion) => new() { RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = assertion };

        var once = Response(idp, now, [$"{role.Arn},{providerArn}"]);
        Assert.NotNull((await sts.AssumeRoleWithSAMLAsync(Request(once))).Credentials.SessionToken);
        var replay = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithSAMLAsync(Request(once)));
        Assert.Equal(("InvalidIdentityToken", "The SAML assertion has already been used."), (replay.ErrorCode, replay.Message));

        // Eight copies of one fresh assertion at once: exactly one gets credentials, the others hear it was used.
        var racing = Response(idp, now, [$"{role.Arn},{providerArn}"]);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                return (await sts.AssumeRoleWithSAMLAsync(Request(racing))).Credentials.AccessKeyId is not null ? "credentials" : "none";
            }
            catch (AmazonSecurityTokenServiceException e)
            {
                return e.ErrorCode;
            }
        }));
        Assert.Equal(1, outcomes.Count(o => o == "credentials"));
        Assert.All(outcomes.Where(o => o != "credentials"), o => Assert.Equal("InvalidIdentityToken", o));
    }

    [Fact]
    public async Task The_session_ends_by_the_assertions_SessionNotOnOrAfter_and_the_role_must_be_listed_with_this_provider()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        var (providerArn, role) = await Setup(Engine, idp);
        var (otherProvider, other) = await Setup(Engine, idp);
        using var sts = Sts(server);
        var now = DateTimeOffset.FromUnixTimeSeconds(server.Clock.GetUtcNow().ToUnixTimeSeconds());

        // Pairs in either order; the session is capped at SessionNotOnOrAfter (10 minutes), below the hour asked for.
        var capped = await sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, DurationSeconds = 3600,
            SAMLAssertion = Response(idp, now, [$"{other.Arn},{otherProvider}", $"{providerArn},{role.Arn}"], sessionEnd: now.AddMinutes(10)),
        });
        Assert.Equal(now.AddMinutes(10), new DateTimeOffset(capped.Credentials.Expiration!.Value.ToUniversalTime(), TimeSpan.Zero));
        // Without it, the hour asked for.
        var full = await sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, DurationSeconds = 3600, SAMLAssertion = Response(idp, now, [$"{role.Arn},{providerArn}"]),
        });
        // (the server's clock runs on while the test sends: within a minute of the hour)
        Assert.InRange(new DateTimeOffset(full.Credentials.Expiration!.Value.ToUniversalTime(), TimeSpan.Zero), now.AddHours(1), now.AddHours(1).AddMinutes(1));

        // A role listed only with another provider, or not listed at all, is refused.
        var elsewhere = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, [$"{role.Arn},{otherProvider}", $"{other.Arn},{providerArn}"]),
        }));
        Assert.Equal("AccessDenied", elsewhere.ErrorCode);
    }

    [Fact]
    public async Task Managed_session_policies_are_checked_as_STS_checks_them()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        var (providerArn, role) = await Setup(Engine, idp);
        using var sts = Sts(server);
        var now = server.Clock.GetUtcNow();
        var policy = (await Engine.Send(new CreatePolicyRequest
        {
            PolicyName = PortalServer.Unique("session"), PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
        })).Policy!;
        Task<AssumeRoleWithSAMLResponse> Assume(params string[] arns) => sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, [$"{role.Arn},{providerArn}"]),
            PolicyArns = [.. arns.Select(a => new PolicyDescriptorType { Arn = a })],
        });

        var assumed = await Assume(policy.Arn!);
#pragma warning disable CS0618 // the SDK marks PackedPolicySize obsolete; STS still answers it
        Assert.Equal((int)Math.Ceiling(policy.Arn!.Length * 100.0 / 2048), assumed.PackedPolicySize);
#pragma warning restore CS0618

        var unknown = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Assume("arn:aws:iam::000000000000:policy/not-there"));
        Assert.Equal(("MalformedPolicyDocument", "Policy arn:aws:iam::000000000000:policy/not-there does not exist or is not attachable."), (unknown.ErrorCode, unknown.Message));
        var eleven = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Assume([.. Enumerable.Range(0, 11).Select(i => $"{policy.Arn}{i}")]));
        Assert.Equal("ValidationError", eleven.ErrorCode);

        // Ten long ARNs with a large inline policy pass the 2,048 characters of plain text: PackedPolicyTooLarge.
        var longNames = new List<string>();
        for (var i = 0; i < 10; i++)
            longNames.Add((await Engine.Send(new CreatePolicyRequest
            {
                PolicyName = PortalServer.Unique("p") + new string('x', 100), Path = "/" + new string('a', 100) + "/",
                PolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""",
            })).Policy!.Arn!);
        var tooLarge = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => Assume([.. longNames]));
        Assert.Equal("PackedPolicyTooLarge", tooLarge.ErrorCode);
    }
}
