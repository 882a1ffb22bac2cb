using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Client.Contract.Iam;
using Portal.Server.Engine;
using Portal.Server.Sts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sts;

/// <summary>A Portal whose identity issuer (<c>{PublicBaseUrl}/identity</c>, built by the identity pools) is played by a
/// test key, so STS's basic flow can be driven with tokens the test signs. Its own server: tests move its clock.</summary>
public sealed class StsServer : PortalServer
{
    public const string PoolId = "us-east-1:0b1a2c3d-0000-4000-8000-000000000001";
    public RsaSecurityKey IssuerKey { get; } = new(RSA.Create(2048)) { KeyId = "sts-test" };
    /// <summary>An HTTPS OpenID issuer for IAM OIDC providers (self-signed: its IAM provider lists the thumbprint).</summary>
    public OidcIssuer Oidc { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IIdentityIssuer>(new TestIssuer(this));
            // The OIDC issuer's self-signed certificate is trusted by the thumbprint its IAM provider lists (WebIdentity.ThumbprintCheck).
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Oidc.Dispose();
    }

    sealed class TestIssuer(StsServer server) : IIdentityIssuer
    {
        public Task<IReadOnlyCollection<SecurityKey>> SigningKeys(CancellationToken ct) => Task.FromResult<IReadOnlyCollection<SecurityKey>>([server.IssuerKey]);
        public Task<bool?> AllowsClassicFlow(string identityPoolId, CancellationToken ct) => Task.FromResult<bool?>(identityPoolId == PoolId ? true : false);
    }

    /// <summary>An OpenID token as identity pools write it: iss {PublicBaseUrl}/identity, aud the pool, sub the identity.</summary>
    public string IdentityToken(string identityId, string amr = "authenticated", string aud = PoolId, TimeSpan? lifetime = null, RsaSecurityKey? key = null)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BaseUrl + "/identity",
            Audience = aud,
            Subject = new ClaimsIdentity([new Claim("sub", identityId)]),
            Claims = new Dictionary<string, object> { ["amr"] = new[] { amr } },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            SigningCredentials = new SigningCredentials(key ?? IssuerKey, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>The embedded STS through the real AWS SDK for .NET and the AWS CLI: GetCallerIdentity with the admin key and
/// with minted credentials, AssumeRoleWithWebIdentity (basic flow) decided by the role's trust policy, expired and forged
/// session tokens refused, and temporary credentials kept off the admin APIs.</summary>
public sealed class StsTests(StsServer server) : IClassFixture<StsServer>
{
    internal static readonly string Trust = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
         "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"@StsServer.PoolId@"},
         "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}
        """.Replace("@StsServer.PoolId@", StsServer.PoolId, StringComparison.Ordinal);

    internal AmazonSecurityTokenServiceClient Sts(AWSCredentials? credentials) => new(credentials ?? new AnonymousAWSCredentials(),
        new AmazonSecurityTokenServiceConfig { ServiceURL = server.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    static BasicAWSCredentials Admin => new(PortalServer.AccessKeyId, PortalServer.SecretAccessKey);

    internal async Task<Role> CreateRole(string trust)
    {
        var dispatcher = server.Services.GetRequiredService<Dispatcher>();
        var response = await dispatcher.Send(new CreateRoleRequest { RoleName = PortalServer.Unique("sts"), AssumeRolePolicyDocument = trust });
        return response.Role!;
    }

    internal async Task<TemporaryCredentials> Mint(Role role, bool authenticated = true, string? sessionPolicy = null)
    {
        using var scope = server.Services.CreateScope();
        var credentials = scope.ServiceProvider.GetRequiredService<IRoleCredentials>();
        return await credentials.ForIdentity(role.Arn!, new IdentitySession(StsServer.PoolId, "us-east-1:aaaaaaaa-0000-4000-8000-000000000001", authenticated,
            [authenticated ? "authenticated" : "unauthenticated"], new Dictionary<string, string>()), sessionPolicy, TimeSpan.FromHours(1), CancellationToken.None);
    }

    [Fact]
    public async Task GetCallerIdentity_with_the_admin_key_answers_the_account_root()
    {
        using var sts = Sts(Admin);
        var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("000000000000", me.Account);
        Assert.Equal("arn:aws:iam::000000000000:root", me.Arn);
    }

    [Fact]
    public async Task Minted_credentials_are_the_assumed_role_for_the_SDK_and_the_CLI()
    {
        var role = await CreateRole(Trust);
        var credentials = await Mint(role);
        Assert.Matches("^ASIA[A-Z2-7]{16}$", credentials.AccessKeyId);
        using var sts = Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        var me = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.RoleName}/CognitoIdentityCredentials", me.Arn);
        Assert.Equal($"{role.RoleId}:CognitoIdentityCredentials", me.UserId);

        var (exit, output) = await Cli(credentials, "sts", "get-caller-identity", "--query", "Arn", "--output", "text");
        Assert.True(exit == 0, output);
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.RoleName}/CognitoIdentityCredentials", output.Trim());
    }

    [Fact]
    public async Task Temporary_credentials_cannot_call_the_admin_APIs()
    {
        var credentials = await Mint(await CreateRole(Trust));
        var (exit, output) = await Cli(credentials, "cognito-idp", "list-user-pools", "--max-results", "10");
        Assert.NotEqual(0, exit);
        Assert.Contains("AccessDeniedException", output);
        Assert.Contains("is not authorized to perform: cognito-idp:ListUserPools", output);
        (exit, output) = await Cli(credentials, "iam", "list-roles");
        Assert.NotEqual(0, exit);
        Assert.Contains("AccessDenied", output);
    }

    [Fact]
    public async Task A_role_that_does_not_trust_guests_is_refused_for_a_guest()
    {
        var role = await CreateRole(Trust);
        var e = await Assert.ThrowsAsync<RoleNotTrustedException>(() => Mint(role, authenticated: false));
        Assert.Contains("does not allow", e.Reason);
        await Assert.ThrowsAsync<RoleNotTrustedException>(() => Mint(role with { Arn = role.Arn + "-gone" }));
    }

    [Fact]
    public async Task Forged_session_tokens_are_refused()
    {
        var credentials = await Mint(await CreateRole(Trust));
        // Another bit in the token: it no longer opens.
        var bytes = Convert.FromBase64String(credentials.SessionToken);
        bytes[^5] ^= 1;
        using (var forged = Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, Convert.ToBase64String(bytes))))
        {
            var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => forged.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("InvalidClientTokenId", e.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
        // Another key id with a real token: refused too.
        using (var swapped = Sts(new SessionAWSCredentials("ASIAAAAAAAAAAAAAAAAA", credentials.SecretAccessKey, credentials.SessionToken)))
        {
            var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => swapped.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("InvalidClientTokenId", e.ErrorCode);
        }
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_basic_flow_with_an_identity_token()
    {
        var role = await CreateRole(Trust);
        const string identityId = "us-east-1:aaaaaaaa-0000-4000-8000-000000000042";
        using var anonymous = Sts(null);
        var assumed = await anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn,
            RoleSessionName = "app-session",
            WebIdentityToken = server.IdentityToken(identityId),
            DurationSeconds = 900,
        });
        Assert.Equal(identityId, assumed.SubjectFromWebIdentityToken);
        Assert.Equal("cognito-identity.amazonaws.com", assumed.Provider);
        Assert.Equal(StsServer.PoolId, assumed.Audience);
        Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.RoleName}/app-session", assumed.AssumedRoleUser.Arn);
        Assert.InRange((assumed.Credentials.Expiration!.Value.ToUniversalTime() - server.Clock.GetUtcNow().UtcDateTime).TotalSeconds, 880, 901);

        using var sts = Sts(new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken));
        Assert.Equal(assumed.AssumedRoleUser.Arn, (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);

        // A guest's token (amr unauthenticated) is not trusted by this role.
        var guest = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "guest", WebIdentityToken = server.IdentityToken(identityId, amr: "unauthenticated"),
        }));
        Assert.Equal("AccessDenied", guest.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, guest.StatusCode);

        // Signed with another key: not a valid token.
        var forged = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "xy", WebIdentityToken = server.IdentityToken(identityId, key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "sts-test" }),
        }));
        Assert.Equal("InvalidIdentityToken", forged.ErrorCode);

        // Expired token.
        var expired = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "xy", WebIdentityToken = server.IdentityToken(identityId, lifetime: TimeSpan.FromMinutes(-10)),
        }));
        Assert.Equal("ExpiredTokenException", expired.ErrorCode);

        // A pool without the classic flow.
        var classic = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "xy", WebIdentityToken = server.IdentityToken(identityId, aud: "us-east-1:0b1a2c3d-0000-4000-8000-000000000002"),
        }));
        Assert.Equal("InvalidIdentityToken", classic.ErrorCode);

        // Longer than the role allows.
        var tooLong = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "xy", WebIdentityToken = server.IdentityToken(identityId), DurationSeconds = 7200,
        }));
        Assert.Equal("ValidationError", tooLong.ErrorCode);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_with_a_registered_OIDC_provider()
    {
        var dispatcher = server.Services.GetRequiredService<Dispatcher>();
        var existing = await dispatcher.Send(new ListOpenIDConnectProvidersRequest());
        var providerArn = existing.OpenIDConnectProviderList!.Select(p => p.Arn).FirstOrDefault(a => a!.EndsWith($"localhost:{server.Oidc.Port}", StringComparison.Ordinal))
                          ?? (await dispatcher.Send(new CreateOpenIDConnectProviderRequest
                          {
                              // The issuer's certificate is self-signed: IAM trusts it by its thumbprint, as AWS does.
                              Url = server.Oidc.Url, ClientIDList = ["my-app"], ThumbprintList = [server.Oidc.Certificate.GetCertHashString().ToLowerInvariant()],
                          })).OpenIDConnectProviderArn!;
        var provider = $"localhost:{server.Oidc.Port}";
        var trust = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"@arn@"},"Action":"sts:AssumeRoleWithWebIdentity",
              "Condition":{"StringEquals":{"@provider@:aud":"my-app"},"StringLike":{"@provider@:sub":"user-*"}}}]}
            """.Replace("@arn@", providerArn, StringComparison.Ordinal).Replace("@provider@", provider, StringComparison.Ordinal);
        var role = await CreateRole(trust);
        using var anonymous = Sts(null);
        var now = server.Clock.GetUtcNow().UtcDateTime;

        var assumed = await anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "oidc-user", WebIdentityToken = server.Oidc.Token("user-1", "my-app", now),
        });
        Assert.Equal("user-1", assumed.SubjectFromWebIdentityToken);
        Assert.Equal(provider, assumed.Provider);
        Assert.Equal("my-app", assumed.Audience);
        using (var sts = Sts(new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken)))
            Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.RoleName}/oidc-user", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);

        // A subject the trust policy does not name.
        var denied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "oidc-user", WebIdentityToken = server.Oidc.Token("admin-1", "my-app", now),
        }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
        // An audience the provider does not list.
        var audience = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role.Arn, RoleSessionName = "oidc-user", WebIdentityToken = server.Oidc.Token("user-1", "other-app", now),
        }));
        Assert.Equal("InvalidIdentityToken", audience.ErrorCode);
        Assert.Equal("Incorrect token audience", audience.Message);
    }

    /// <summary>Runs the AWS CLI v2 against the server with the given temporary credentials.</summary>
    async Task<(int Exit, string Output)> Cli(TemporaryCredentials credentials, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(server.BaseUrl);
        start.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey;
        start.Environment["AWS_SESSION_TOKEN"] = credentials.SessionToken;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>An ended session (its own server: the clock moves on an hour and never back).</summary>
public sealed class ExpiredSessionTests(StsServer server) : IClassFixture<StsServer>
{
    [Fact]
    public async Task An_ended_session_is_refused_with_ExpiredToken()
    {
        var sts = new StsTests(server);
        var credentials = await sts.Mint(await sts.CreateRole(StsTests.Trust));
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        using var expired = sts.Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => expired.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("ExpiredToken", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal("The security token included in the request is expired", e.Message);
    }
}
