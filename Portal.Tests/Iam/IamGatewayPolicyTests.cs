using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using Portal.Client.Contract.Iam;
using Portal.Tests.Federation;
using Portal.Client.Contract.IdentityPools;
using Portal.Tests.Gateway;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Iam;

/// <summary>The S3 route decides with the same policies as IAM's simulator: a role's permissions boundary cuts an inline
/// Allow, an attached managed policy allows, and managed session policies (STS PolicyArns) scope a session down.</summary>
public sealed class IamGatewayPolicyTests(S3GatewayServer server) : IClassFixture<S3GatewayServer>, IAsyncLifetime
{
    readonly S3Identities identities = new(server);
    const string Bucket = S3GatewayServer.Bucket;

    public Task InitializeAsync() => identities.Setup(Bucket);

    public Task DisposeAsync() => Task.CompletedTask;

    AmazonS3Client Client(string accessKeyId, string secret, string token) => new(new SessionAWSCredentials(accessKeyId, secret, token), new AmazonS3Config
    {
        ServiceURL = server.BaseUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
    });

    static async Task Denied(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<AmazonS3Exception>(call);
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (e.ErrorCode, e.StatusCode));
    }

    static string Allow(string action, string resource) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Allowed","Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

    [Fact]
    public async Task A_boundary_that_cuts_the_roles_inline_allow_denies_through_the_S3_route_and_an_attached_policy_allows()
    {
        var me = await identities.User();
        using var s3 = Client(me.Credentials.AccessKeyId!, me.Credentials.SecretKey!, me.Credentials.SessionToken!);
        var own = $"private/{me.IdentityId}/bounded.txt";
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = own, ContentBody = "before" });   // the inline policy allows it

        var roleArn = (await server.Engine.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = identities.PoolId })).Roles!["authenticated"];
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var publicOnly = (await server.Engine.Send(new CreatePolicyRequest
        {
            PolicyName = PortalServer.Unique("public-only"),
            PolicyDocument = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::{{Bucket}}/public/*","arn:aws:s3:::{{Bucket}}/shared/*"]}]}""",
        })).Policy!;
        await server.Engine.Send(new PutRolePermissionsBoundaryRequest { RoleName = roleName, PermissionsBoundary = publicOnly.Arn });

        // The same credentials, the same inline Allow: now outside the boundary.
        await Denied(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = own, ContentBody = "after" }));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"public/{me.IdentityId}.txt", ContentBody = "inside" });

        // An attached managed policy allows within the boundary (shared/ is inside the boundary, and no inline statement allows it).
        var shared = $"shared/{me.IdentityId}.txt";
        await Denied(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = shared, ContentBody = "shared" }));
        var attached = (await server.Engine.Send(new CreatePolicyRequest
        {
            PolicyName = PortalServer.Unique("shared"), PolicyDocument = Allow("s3:PutObject", $"arn:aws:s3:::{Bucket}/shared/*"),
        })).Policy!;
        await server.Engine.Send(new AttachRolePolicyRequest { RoleName = roleName, PolicyArn = attached.Arn });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = shared, ContentBody = "shared" });

        await server.Engine.Send(new DeleteRolePermissionsBoundaryRequest { RoleName = roleName });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = own, ContentBody = "after" });
    }

    [Fact]
    public async Task Managed_session_policies_given_to_AssumeRoleWithSAML_scope_the_session_down_at_the_S3_route()
    {
        using var idp = new SamlTestIdp($"https://idp-{Guid.NewGuid():n}.example.test/saml");
        var (providerArn, role) = await IamSamlStsTests.Setup(server.Engine, idp, Allow("s3:PutObject", $"arn:aws:s3:::{Bucket}/*"));
        var publicOnly = (await server.Engine.Send(new CreatePolicyRequest
        {
            PolicyName = PortalServer.Unique("session-public"), PolicyDocument = Allow("s3:PutObject", $"arn:aws:s3:::{Bucket}/public/*"),
        })).Policy!;
        using var sts = IamSamlStsTests.Sts(server);
        var assumed = await sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.Arn, PrincipalArn = providerArn, PolicyArns = [new PolicyDescriptorType { Arn = publicOnly.Arn }],
            SAMLAssertion = IamSamlStsTests.Response(idp, server.Clock.GetUtcNow(), [$"{role.Arn},{providerArn}"]),
        });
        using var s3 = Client(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"public/{role.RoleName}.txt", ContentBody = "in scope" });
        await Denied(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"private/{role.RoleName}.txt", ContentBody = "out of scope" }));

        // The session policy's new default version applies to the session it was given to.
        await server.Engine.Send(new CreatePolicyVersionRequest { PolicyArn = publicOnly.Arn, PolicyDocument = Allow("s3:PutObject", $"arn:aws:s3:::{Bucket}/private/*"), SetAsDefault = true });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"private/{role.RoleName}.txt", ContentBody = "now in scope" });
    }
}
