using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Sts;
using Portal.Tests.IdentityPoolApi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sts;

/// <summary>
/// What an attacker holding one identity pool's logins, tokens or credentials tries against another pool and against
/// STS: each refused with the AWS error, nothing linked, registered or minted.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CrossPoolAttackTests(PortalServer server)
{
    // Developer provider names are unique across the account's identity pools (the suite's servers are shared).
    readonly string Developer = PortalServer.Unique("attack") + ".example";
    readonly string OtherDeveloper = PortalServer.Unique("attack") + ".example";
    /// <summary>How SessionTokens serializes the claims it seals.</summary>
    static readonly JsonSerializerOptions TokenJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    readonly IdentityKit kit = new(server);

    AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = server.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    async Task<List<string>> IdentitiesOf(string pool) =>
        [.. ((await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 })).Identities ?? []).Select(i => i.IdentityId!)];

    async Task<List<string>> LoginsOf(string identityId) => (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = identityId })).Logins ?? [];

    [Fact]
    public async Task One_pools_logins_and_tokens_do_not_open_another_pools_identities()
    {
        var app = await kit.UserPool();
        var p1 = (await kit.Pool(app, developer: Developer)).IdentityPoolId!;
        var p2 = (await kit.Pool(null, developer: OtherDeveloper)).IdentityPoolId!;
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = p1, Roles = new() { ["authenticated"] = await kit.Role(p1, "authenticated") } });
        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = p2, Roles = new() { ["authenticated"] = await kit.Role(p2, "authenticated"), ["unauthenticated"] = await kit.Role(p2, "unauthenticated") },
        });
        var user = await kit.SignIn(app);
        var p1Logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var p1Identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = p1, Logins = p1Logins })).IdentityId!;
        var p1Developer = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = p1, Logins = new() { [Developer] = "eve" } });
        var p2Guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = p2 })).IdentityId!;
        var p2Developer = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest { IdentityPoolId = p2, Logins = new() { [OtherDeveloper] = "bob" } });
        var p2Before = await IdentitiesOf(p2);

        // P1's user-pool login with P2's guest identity: P2 does not trust that user pool.
        var unsupported = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = p2Guest, Logins = p1Logins }));
        Assert.Equal("Token is not from a supported provider of this identity pool.", unsupported.Message);
        // P1's identity token (aud P1) for P2's identities, P1's identity id with P2's identity token.
        var audience = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = p2Developer.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = p1Developer.Token! },
        }));
        Assert.Equal("Invalid login token. Incorrect token audience.", audience.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = p2Guest, Logins = new() { ["cognito-identity.amazonaws.com"] = p1Developer.Token! },
        }));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = p1Developer.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = p2Developer.Token! },
        }));
        // P1's authenticated identity without its logins, and as if it were a guest of P2's.
        var forbidden = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = p1Identity }));
        Assert.Equal($"Access to Identity '{p1Identity}' is forbidden.", forbidden.Message);
        // P1's identity asking for P2's role: not among P1's roles (CustomRoleArn), and when P1 is configured with it, the
        // role's trust (aud P2) refuses P1's identities.
        var p2Role = await kit.Role(p2, "authenticated");
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = p1Developer.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = p1Developer.Token! }, CustomRoleArn = p2Role,
        }));
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = p1, Roles = new() { ["authenticated"] = p2Role } });
        var untrusted = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = p1Developer.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = p1Developer.Token! },
        }));
        Assert.Equal("Invalid identity pool configuration. Check assigned IAM roles for this pool.", untrusted.Message);

        // Nothing was linked or made: P2 has the same identities, none holds P1's login, P1's identity still holds only its own.
        Assert.Equal(p2Before.Order(StringComparer.Ordinal), (await IdentitiesOf(p2)).Order(StringComparer.Ordinal));
        Assert.Empty(await LoginsOf(p2Guest));
        Assert.Equal([user.ProviderName], await LoginsOf(p1Identity));
        Assert.DoesNotContain(user.ProviderName, await LoginsOf(p2Developer.IdentityId!));

        // P1's OpenID token at STS for P2's role: the trust policy names P2's aud, STS says AccessDenied.
        var p1Token = (await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = p1Identity, Logins = p1Logins })).Token!;
        using var anonymous = Sts(new AnonymousAWSCredentials());
        var denied = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = p2Role, RoleSessionName = "attack", WebIdentityToken = p1Token,
        }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
    }

    [Fact]
    public async Task A_session_token_with_a_changed_role_or_expiry_is_refused()
    {
        var pool = (await kit.Pool(null)).IdentityPoolId!;
        var guestRole = await kit.Role(pool, "unauthenticated");
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = guestRole } });
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;
        var credentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest })).Credentials!;
        var claims = await kit.Session(credentials.SessionToken!);

        // The token is the claims' JSON, encrypted as a stream: flipping ciphertext bits flips the same plaintext bits, so an
        // attacker who knows the layout can aim at one character. The authentication tag still refuses it.
        var plain = JsonSerializer.SerializeToUtf8Bytes(claims, TokenJson);
        string Tampered(string field, string from, string to)
        {
            var json = Encoding.UTF8.GetString(plain);
            var at = json.IndexOf($"\"{field}\":\"", StringComparison.Ordinal);
            Assert.True(at >= 0, $"{field} is in the token");
            var offset = Encoding.UTF8.GetByteCount(json[..json.IndexOf(from, at, StringComparison.Ordinal)]);
            var token = Convert.FromBase64String(credentials.SessionToken!);
            const int header = 1 + 4 + 12;
            for (var i = 0; i < from.Length; i++) token[header + offset + i] ^= (byte)(from[i] ^ to[i]);
            return Convert.ToBase64String(token);
        }
        var roleName = guestRole.Split('/')[^1];
        var expiryYear = claims.Expiration.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var forged in new[]
                 {
                     Tampered("RoleArn", roleName, "admin" + roleName[5..]),
                     Tampered("Expiration", expiryYear, (claims.Expiration.Year + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 })
        {
            using var sts = Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey, forged));
            var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("InvalidClientTokenId", e.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
        // A token minted with the claims changed but sealed by another deployment's key is not this one's either.
        var otherKey = new SessionClaims
        {
            AccessKeyId = claims.AccessKeyId, SecretAccessKey = claims.SecretAccessKey, RoleArn = claims.RoleArn.Replace(roleName, "admin", StringComparison.Ordinal),
            RoleId = claims.RoleId, RoleName = "admin", SessionName = claims.SessionName, IssuedAt = claims.IssuedAt, Expiration = claims.Expiration.AddYears(1),
        };
        using (var other = new PortalServer())
        {
            var foreign = await other.Services.GetRequiredService<SessionTokens>().Mint(otherKey, CancellationToken.None);
            using var sts = Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey, foreign));
            var e = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
            Assert.Equal("InvalidClientTokenId", e.ErrorCode);
        }
        // The untouched token still answers the role it was minted for.
        using (var sts = Sts(new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretKey, credentials.SessionToken)))
            Assert.EndsWith($"assumed-role/{roleName}/CognitoIdentityCredentials", (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn);
    }

    [Fact]
    public async Task Developer_authenticated_calls_need_SigV4_and_write_nothing_without_it()
    {
        var pool = (await kit.Pool(null, developer: Developer)).IdentityPoolId!;
        var before = await IdentitiesOf(pool);
        var unsigned = await Assert.ThrowsAsync<MissingAuthenticationTokenException>(() => kit.Anonymous.Send(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = pool, Logins = new() { [Developer] = "mallory" },
        }));
        Assert.Equal("Missing Authentication Token", unsigned.Message);
        await Assert.ThrowsAsync<MissingAuthenticationTokenException>(() => kit.Anonymous.Send(new LookupDeveloperIdentityRequest
        {
            IdentityPoolId = pool, DeveloperUserIdentifier = "mallory", MaxResults = 10,
        }));
        Assert.Equal(before, await IdentitiesOf(pool));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new LookupDeveloperIdentityRequest
        {
            IdentityPoolId = pool, DeveloperUserIdentifier = "mallory", MaxResults = 10,
        }));
    }
}
