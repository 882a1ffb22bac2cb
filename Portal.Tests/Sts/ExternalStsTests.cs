using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.IdentityPools;
using Portal.Server.Iam.Policies;
using Portal.Server.Sts;
using Portal.Tests.IdentityPoolApi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sts;

/// <summary>Portal A in External STS mode: its identity issuer is also served over HTTPS (a self-signed certificate, as a
/// private deployment has) at its PublicBaseUrl, and its STS endpoint is another Portal's.</summary>
public sealed class ExternalModePortal : PortalServer
{
    readonly string stsEndpoint;

    public ExternalModePortal(string stsEndpoint) : base(started: false)
    {
        this.stsEndpoint = stsEndpoint;
        UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port);
            k.Listen(IPAddress.Loopback, HttpsPort, l => l.UseHttps(Certificate));
        });
        StartServer();
    }

    public X509Certificate2 Certificate { get; } = SelfSigned();
    public int HttpsPort { get; } = FreePort();
    /// <summary>What a relying party (the other Portal's IAM) registers: <c>https://localhost:{port}/identity</c>.</summary>
    public string IdentityIssuer => $"https://localhost:{HttpsPort}/identity";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:PublicBaseUrl"] = $"https://localhost:{HttpsPort}",
        ["Portal:IdentityPools:Sts:Mode"] = "External",
        ["Portal:IdentityPools:Sts:Endpoint"] = stsEndpoint,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Its own certificate, not the development CA's (whose selector would win over the endpoint's); a host setting,
        // because Program reads it before the app configuration of tests applies.
        builder.UseSetting("Portal:Https:LocalCertificate", "false");
    }

    static X509Certificate2 SelfSigned()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Certificate.Dispose();
    }
}

/// <summary>Two Portal servers: B plays AWS (its IAM and STS), A hands out identity pools' credentials through B.</summary>
public sealed class ExternalStsPair : IDisposable
{
    public PortalServer Aws { get; } = new();
    public ExternalModePortal Portal { get; }

    public ExternalStsPair() => Portal = new ExternalModePortal(Aws.BaseUrl);

    public void Dispose()
    {
        Portal.Dispose();
        Aws.Dispose();
    }
}

/// <summary>
/// External STS mode against a second Portal process's STS, as against AWS: B's IAM registers A's identity issuer as an
/// OpenID Connect provider (with the thumbprint of A's self-signed certificate) and holds the roles; A signs an OpenID
/// token for the identity and calls B's AssumeRoleWithWebIdentity; B checks it against A's JWKS over HTTPS and the role's
/// trust policy (conditions on <c>{issuer host/path}:aud</c> and <c>:amr</c>). The credentials work at B.
/// </summary>
public sealed class ExternalStsTests(ExternalStsPair pair) : IClassFixture<ExternalStsPair>
{
    const string Developer = "login.external.example";
    readonly IdentityKit kit = new(pair.Portal);

    string Provider => pair.Portal.IdentityIssuer["https://".Length..];

    async Task<string> AwsRole(string trust)
    {
        var dispatcher = pair.Aws.Services.GetRequiredService<Dispatcher>();
        return (await dispatcher.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("ext"), AssumeRolePolicyDocument = trust })).Role!.Arn!;
    }

    string Trust(string identityPoolId, string amr, string? federated = null) => """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"@federated@"},
         "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"@provider@:aud":"@pool@"},
         "ForAnyValue:StringLike":{"@provider@:amr":"@amr@"}}}]}
        """.Replace("@federated@", federated ?? $"arn:aws:iam::000000000000:oidc-provider/{Provider}", StringComparison.Ordinal)
        .Replace("@provider@", Provider, StringComparison.Ordinal).Replace("@pool@", identityPoolId, StringComparison.Ordinal)
        .Replace("@amr@", amr, StringComparison.Ordinal);

    AmazonSecurityTokenServiceClient AwsSts(Client.Contract.IdentityPools.Credentials c) =>
        new(new SessionAWSCredentials(c.AccessKeyId, c.SecretKey, c.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = pair.Aws.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Credentials_come_from_the_external_STS_which_trusts_the_identity_issuer_only_where_its_roles_do()
    {
        var pool = (await kit.Pool(null, developer: Developer)).IdentityPoolId!;
        // B's IAM: A's identity issuer as an OIDC provider (audience: the identity pool), pinned by its certificate's thumbprint.
        await pair.Aws.Services.GetRequiredService<Dispatcher>().Send(new CreateOpenIDConnectProviderRequest
        {
            Url = pair.Portal.IdentityIssuer, ClientIDList = [pool], ThumbprintList = [pair.Portal.Certificate.GetCertHashString().ToLowerInvariant()],
        });
        var authenticatedRole = await AwsRole(Trust(pool, "authenticated"));
        var guestRole = await AwsRole(Trust(pool, "unauthenticated"));
        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = authenticatedRole, ["unauthenticated"] = guestRole },
        });

        // A developer-authenticated identity: credentials from B's STS, which B answers as the assumed role.
        var developer = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = pool, Logins = new() { [Developer] = "alice" } });
        var logins = new Dictionary<string, string> { [IdentityTokens.LoginKey] = developer.Token! };
        var answer = await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = developer.IdentityId, Logins = logins });
        Assert.Equal(developer.IdentityId, answer.IdentityId);
        Assert.StartsWith("ASIA", answer.Credentials!.AccessKeyId);
        var aws = pair.Aws.Services.GetRequiredService<SessionTokens>();
        var session = await aws.Open(answer.Credentials.SessionToken!, CancellationToken.None);
        Assert.NotNull(session); // minted by B, not by A
        Assert.Null(await pair.Portal.Services.GetRequiredService<SessionTokens>().Open(answer.Credentials.SessionToken!, CancellationToken.None));
        Assert.Equal(Provider, session.Provider);
        Assert.Equal(developer.IdentityId, session.Subject);
        Assert.Equal(pool, session.Audience);
        Assert.Contains("authenticated", session.Amr);
        Assert.Null(session.SessionPolicy);
        using (var sts = AwsSts(answer.Credentials))
        {
            var caller = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
            Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{authenticatedRole.Split('/')[^1]}/CognitoIdentityCredentials", caller.Arn);
        }

        // A guest: the guest role, with Cognito's scope-down policy passed as the session policy.
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        var guestCredentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest })).Credentials!;
        var guestSession = (await aws.Open(guestCredentials.SessionToken!, CancellationToken.None))!;
        Assert.Equal(guestRole, guestSession.RoleArn);
        Assert.Equal(["unauthenticated"], guestSession.Amr);
        Assert.Equal(GuestPolicy.ScopeDown, guestSession.SessionPolicy);
        using (var sts = AwsSts(guestCredentials))
            Assert.EndsWith($"/{guestRole.Split('/')[^1]}/CognitoIdentityCredentials", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
        // What the session may do: even a role that allows everything is limited to the scope-down's services.
        Assert.True(PolicyDocument.TryParse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", PolicyKind.Identity, out var everything, out _));
        Assert.True(PolicyDocument.TryParse(guestSession.SessionPolicy!, PolicyKind.Identity, out var scopeDown, out _));
        Assert.True(PolicyEvaluator.EvaluateSession([everything!], [scopeDown!], new RequestContext { Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket/key" }).Allowed);
        Assert.False(PolicyEvaluator.EvaluateSession([everything!], [scopeDown!], new RequestContext { Action = "iam:CreateUser", Resource = "*" }).Allowed);

        // A role of B that trusts another issuer (Cognito's own), not A's: B's STS answers AccessDenied, A answers as Cognito.
        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool,
            Roles = new() { ["authenticated"] = await AwsRole(Trust(pool, "authenticated", federated: "cognito-identity.amazonaws.com").Replace(Provider + ":", "cognito-identity.amazonaws.com:", StringComparison.Ordinal)), ["unauthenticated"] = guestRole },
        });
        var refused = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = developer.IdentityId, Logins = logins }));
        Assert.Equal("Invalid identity pool configuration. Check assigned IAM roles for this pool.", refused.Message);
        // A role that trusts A's issuer but for guests only, and one that does not exist at B.
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = guestRole } });
        await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = developer.IdentityId, Logins = logins }));
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = "arn:aws:iam::000000000000:role/nobody-here" } });
        await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = developer.IdentityId, Logins = logins }));
    }

    [Fact]
    public async Task An_issuer_whose_certificate_matches_no_thumbprint_is_not_trusted()
    {
        using var other = new ExternalModePortal(pair.Aws.BaseUrl);
        var otherKit = new IdentityKit(other);
        var pool = (await otherKit.Pool(null)).IdentityPoolId!;
        // Registered with a thumbprint that is not its certificate's: B cannot fetch its keys, so STS refuses the token.
        await pair.Aws.Services.GetRequiredService<Dispatcher>().Send(new CreateOpenIDConnectProviderRequest
        {
            Url = other.IdentityIssuer, ClientIDList = [pool], ThumbprintList = [new string('a', 40)],
        });
        var provider = other.IdentityIssuer["https://".Length..];
        var role = await AwsRole("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::000000000000:oidc-provider/@provider@"},
             "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"@provider@:aud":"@pool@"}}}]}
            """.Replace("@provider@", provider, StringComparison.Ordinal).Replace("@pool@", pool, StringComparison.Ordinal));
        await otherKit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = role } });
        var guest = (await otherKit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        // B answers IDPCommunicationError (its keys could not be fetched over a trusted connection): a dependency failure for Cognito.
        var e = await Assert.ThrowsAsync<ExternalServiceException>(() => otherKit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest }));
        Assert.Equal("The security token service could not complete the request; try again.", e.Message);
    }
}
