using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Tests.Federation;
using Portal.Tests.IdentityPoolApi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sts;

/// <summary>SAML federation as AWS does it: an IdP's signed response for <c>urn:amazon:webservices</c>, checked against
/// the IAM SAML provider's metadata, for STS AssumeRoleWithSAML (through the AWS SDK) and as an identity pool's login.</summary>
[Collection(ServerCollection.Name)]
public sealed class SamlStsTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);

    static string Response(SamlTestIdp idp, DateTimeOffset now, string nameId, Dictionary<string, string> attributes, SamlTestIdp? signer = null,
        Dictionary<string, string[]>? multiValued = null)
    {
        var document = idp.Response(new SamlTestIdp.ResponseShape
        {
            Audience = "urn:amazon:webservices", Acs = "https://signin.aws.amazon.com/saml", NameId = nameId, Now = now, Attributes = attributes,
            MultiValued = multiValued ?? [],
        });
        (signer ?? idp).Sign(SamlTestIdp.Assertion(document), (signer ?? idp).Certificate);
        return SamlTestIdp.Encode(document);
    }

    async Task<string> Provider(SamlTestIdp idp) => (await server.Services.GetRequiredService<Dispatcher>().Send(new CreateSAMLProviderRequest
    {
        Name = PortalServer.Unique("saml"), SAMLMetadataDocument = idp.Metadata(),
    })).SAMLProviderArn!;

    AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = server.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task AssumeRoleWithSAML_takes_a_signed_assertion_for_a_role_that_trusts_the_provider()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        using var stranger = new SamlTestIdp(idp.EntityId, "CN=Not the IdP");
        var providerArn = await Provider(idp);
        var dispatcher = server.Services.GetRequiredService<Dispatcher>();
        var trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"@arn@"},"Action":"sts:AssumeRoleWithSAML",
              "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"},"StringLike":{"SAML:sub":"*@example.com"}}}]}
            """.Replace("@arn@", providerArn, StringComparison.Ordinal);
        var role = (await dispatcher.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("samlrole"), AssumeRolePolicyDocument = trust })).Role!;
        var now = server.Clock.GetUtcNow();
        Dictionary<string, string> Attributes(string roleArn) => new()
        {
            ["https://aws.amazon.com/SAML/Attributes/Role"] = $"{roleArn},{providerArn}",
            ["https://aws.amazon.com/SAML/Attributes/RoleSessionName"] = "jane",
        };
        using var anonymous = Sts(new AnonymousAWSCredentials());

        var assumed = await anonymous.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, "jane@example.com", Attributes(role.Arn!)),
        });
        Assert.Equal("jane@example.com", assumed.Subject);
        Assert.Equal(idp.EntityId, assumed.Issuer);
        Assert.Equal("https://signin.aws.amazon.com/saml", assumed.Audience);
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.RoleName}/jane", assumed.AssumedRoleUser.Arn);
        using (var sts = Sts(new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken)))
            Assert.Equal(assumed.AssumedRoleUser.Arn, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);

        // Signed by another key than the metadata's; a subject the trust policy does not name; a role the assertion does not name.
        var forged = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, "jane@example.com", Attributes(role.Arn!), signer: stranger),
        }));
        Assert.Equal("InvalidIdentityToken", forged.ErrorCode);
        var subject = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, "mallory@evil.test", Attributes(role.Arn!)),
        }));
        Assert.Equal("AccessDenied", subject.ErrorCode);
        var other = (await dispatcher.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("samlrole"), AssumeRolePolicyDocument = trust })).Role!;
        var unnamed = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = other.Arn, PrincipalArn = providerArn, SAMLAssertion = Response(idp, now, "jane@example.com", Attributes(role.Arn!)),
        }));
        Assert.Equal("AccessDenied", unnamed.ErrorCode);
    }

    [Fact]
    public async Task An_identity_pool_takes_a_SAML_response_as_the_login_of_its_SAML_provider()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        using var stranger = new SamlTestIdp(idp.EntityId, "CN=Not the IdP");
        var providerArn = await Provider(idp);
        var pool = (await kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "saml pool", AllowUnauthenticatedIdentities = false, SamlProviderARNs = [providerArn],
        })).IdentityPoolId!;
        var now = server.Clock.GetUtcNow();
        var attributes = new Dictionary<string, string> { ["email"] = "jane@example.com" };

        var identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [providerArn] = Response(idp, now, "jane", attributes) } })).IdentityId!;
        Assert.Equal(identity, (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [providerArn] = Response(idp, now, "jane", attributes) } })).IdentityId);
        Assert.Equal([providerArn], (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins);
        var before = (await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 })).Identities!.Count;

        var forged = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest
        {
            IdentityPoolId = pool, Logins = new() { [providerArn] = Response(idp, now, "mallory", attributes, signer: stranger) },
        }));
        Assert.StartsWith("Invalid login token.", forged.Message);
        // Too old for an unsolicited response.
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest
        {
            IdentityPoolId = pool, Logins = new() { [providerArn] = Response(idp, now.AddMinutes(-30), "mallory", attributes) },
        }));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest
        {
            IdentityPoolId = pool, Logins = new() { [providerArn] = "bm90IFNBTUw=" },
        }));
        Assert.Equal(before, (await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 })).Identities!.Count);
    }

    [Fact]
    public async Task An_identity_pools_SAML_login_gets_the_role_its_assertion_names_and_of_several_the_CustomRoleArn_among_them()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        var providerArn = await Provider(idp);
        var pool = (await kit.Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "saml roles", AllowUnauthenticatedIdentities = false, SamlProviderARNs = [providerArn],
        })).IdentityPoolId!;
        var fallback = await kit.Role(pool, "authenticated");
        var engineers = await kit.Role(pool, "authenticated");
        var admins = await kit.Role(pool, "authenticated");
        var elsewhere = await kit.Role(pool, "authenticated");
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = fallback } });
        var now = server.Clock.GetUtcNow();
        const string Role = "https://aws.amazon.com/SAML/Attributes/Role";
        // Pairs in either order; a pair naming another provider gives nothing here.
        string Login(string nameId, params string[] pairs) => Response(idp, now, nameId, [], multiValued: pairs.Length == 0 ? null : new() { [Role] = pairs });
        async Task<string> RoleOf(string login, string? custom = null)
        {
            var logins = new Dictionary<string, string> { [providerArn] = login };
            var id = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId!;
            var credentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = id, Logins = logins, CustomRoleArn = custom })).Credentials!;
            return (await kit.Session(credentials.SessionToken!)).RoleArn;
        }

        Assert.Equal(engineers, await RoleOf(Login("ann", $"{engineers},{providerArn}", $"{elsewhere},arn:aws:iam::000000000000:saml-provider/other")));
        Assert.Equal(admins, await RoleOf(Login("bob", $"{providerArn},{engineers}", $"{admins},{providerArn}"), admins));
        var several = await Assert.ThrowsAsync<NotAuthorizedException>(() => RoleOf(Login("bob", $"{engineers},{providerArn}", $"{admins},{providerArn}")));
        Assert.Contains("CustomRoleArn", several.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => RoleOf(Login("bob", $"{engineers},{providerArn}", $"{admins},{providerArn}"), elsewhere));
        // No role in the assertion: the pool's authenticated role.
        Assert.Equal(fallback, await RoleOf(Login("cy")));
    }
}
