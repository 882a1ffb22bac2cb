using Amazon.Runtime;
using Amazon.SecurityToken;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>GetCredentialsForIdentity end to end: the role Cognito's rules choose, trusted by its policy, minted by the
/// embedded STS; guests scoped down; untrusted roles refused; the classic flow only where enabled.</summary>
[Collection(ServerCollection.Name)]
public sealed class CredentialsTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);

    [Fact]
    public async Task A_signed_in_user_gets_credentials_for_the_authenticated_role()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId!;
        var authenticated = await kit.Role(pool, "authenticated");
        var guest = await kit.Role(pool, "unauthenticated");
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = authenticated, ["unauthenticated"] = guest } });
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [kit.AmplifyKey(app.PoolId)] = user.IdToken };

        var identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;
        var answer = await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = identity, Logins = logins });
        Assert.Equal(identity, answer.IdentityId);
        var credentials = answer.Credentials!;
        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.False(string.IsNullOrEmpty(credentials.SecretKey));
        var lifetime = credentials.Expiration!.Value - server.Clock.GetUtcNow();
        Assert.InRange(lifetime.TotalMinutes, 55, 61);

        var session = await kit.Session(credentials.SessionToken!);
        Assert.Equal(authenticated, session.RoleArn);
        Assert.Equal(identity, session.Subject);
        Assert.Equal(pool, session.Audience);
        Assert.Equal(["authenticated", user.ProviderName, $"{user.ProviderName}:CognitoSignIn:{user.Sub}"], session.Amr);
        Assert.Null(session.SessionPolicy);

        // Without its logins an authenticated identity gets nothing.
        var forbidden = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = identity }));
        Assert.Equal($"Access to Identity '{identity}' is forbidden.", forbidden.Message);
    }

    [Fact]
    public async Task Guests_get_scoped_down_credentials_and_a_role_that_excludes_guests_is_refused()
    {
        var pool = (await kit.Pool(null)).IdentityPoolId!;
        var guestRole = await kit.Role(pool, "unauthenticated");
        var authenticatedOnly = await kit.Role(pool, "authenticated");
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = guestRole } });
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;

        var credentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest })).Credentials!;
        var session = await kit.Session(credentials.SessionToken!);
        Assert.Equal(guestRole, session.RoleArn);
        Assert.Equal(["unauthenticated"], session.Amr);
        Assert.Equal(GuestPolicy.ScopeDown, session.SessionPolicy);

        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = authenticatedOnly } });
        var refused = await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() =>
            kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest }));
        Assert.Equal("Invalid identity pool configuration. Check assigned IAM roles for this pool.", refused.Message);

        // A role of another pool's trust is not this pool's either.
        var otherPool = (await kit.Pool(null)).IdentityPoolId!;
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["unauthenticated"] = await kit.Role(otherPool, null) } });
        await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = guest }));
        // No role at all.
        var bare = (await kit.Pool(null)).IdentityPoolId!;
        var bareGuest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = bare })).IdentityId;
        await Assert.ThrowsAsync<InvalidIdentityPoolConfigurationException>(() => kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = bareGuest }));
    }

    [Fact]
    public async Task Roles_follow_the_token_of_a_group_member_and_the_rules_of_a_mapping()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId!;
        var provider = $"cognito-idp.us-east-1.amazonaws.com/{app.PoolId}:{app.ClientId}";
        var authenticated = await kit.Role(pool, "authenticated");
        var admins = await kit.Role(pool, "authenticated");
        var editors = await kit.Role(pool, "authenticated");
        await kit.Admin.Send(new CreateGroupRequest { UserPoolId = app.PoolId, GroupName = "admins", RoleArn = admins, Precedence = 1 });
        var admin = await kit.SignIn(app, beforeSignIn: username =>
            kit.Admin.Send(new AdminAddUserToGroupRequest { UserPoolId = app.PoolId, Username = username, GroupName = "admins" }));
        var plain = await kit.SignIn(app);

        async Task<string> RoleOf(IdentityKit.SignedIn user, string? custom = null)
        {
            var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
            var id = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;
            var credentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest { IdentityId = id, Logins = logins, CustomRoleArn = custom })).Credentials!;
            return (await kit.Session(credentials.SessionToken!)).RoleArn;
        }

        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = authenticated },
            RoleMappings = new() { [provider] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "AuthenticatedRole" } },
        });
        Assert.Equal(admins, await RoleOf(admin));
        Assert.Equal(authenticated, await RoleOf(plain));

        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = authenticated },
            RoleMappings = new()
            {
                [provider] = new RoleMapping
                {
                    Type = "Rules", AmbiguousRoleResolution = "Deny",
                    RulesConfiguration = new RulesConfigurationType
                    {
                        Rules =
                        [
                            new MappingRule { Claim = "cognito:groups", MatchType = "Contains", Value = "admin", RoleARN = editors },
                            new MappingRule { Claim = "cognito:username", MatchType = "StartsWith", Value = "user-", RoleARN = admins },
                        ],
                    },
                },
            },
        });
        Assert.Equal(editors, await RoleOf(admin));
        Assert.Equal(admins, await RoleOf(plain));

        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = authenticated },
            RoleMappings = new()
            {
                [provider] = new RoleMapping
                {
                    Type = "Rules", AmbiguousRoleResolution = "Deny",
                    RulesConfiguration = new RulesConfigurationType { Rules = [new MappingRule { Claim = "cognito:groups", MatchType = "Equals", Value = "admins", RoleARN = editors }] },
                },
            },
        });
        var denied = await Assert.ThrowsAsync<NotAuthorizedException>(() => RoleOf(plain));
        Assert.Equal($"The ambiguous role mapping rules for: {provider} denied this request.", denied.Message);
    }

    [Fact]
    public async Task Developer_identities_get_credentials_with_their_token_and_principal_tags()
    {
        var developer = PortalServer.Unique("login") + ".example.app";
        var pool = (await kit.Pool(null, guests: false, developer: developer)).IdentityPoolId!;
        var role = await kit.Role(pool, "authenticated");
        await kit.Admin.Send(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = role } });
        var registered = await kit.Admin.Send(new GetOpenIdTokenForDeveloperIdentityRequest
        {
            IdentityPoolId = pool, Logins = new() { [developer] = "alice" }, PrincipalTags = new() { ["team"] = "blue" },
        });
        var credentials = (await kit.Anonymous.Send(new GetCredentialsForIdentityRequest
        {
            IdentityId = registered.IdentityId, Logins = new() { ["cognito-identity.amazonaws.com"] = registered.Token! },
        })).Credentials!;
        var session = await kit.Session(credentials.SessionToken!);
        Assert.Equal(role, session.RoleArn);
        Assert.Equal(registered.IdentityId, session.Subject);
        Assert.Equal("blue", session.Tags["team"]);
        Assert.Contains("authenticated", session.Amr);
    }

    [Fact]
    public async Task The_classic_flow_answers_only_where_the_pool_enables_it()
    {
        var pool = (await kit.Pool(null, classic: false)).IdentityPoolId!;
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = guest }));
        Assert.Equal("Basic (classic) flow is not enabled, please use enhanced flow.", refused.Message);
    }

    /// <summary>The basic (classic) flow across both services: the identity pool's own OpenID token (GetOpenIdToken) is
    /// taken by Portal's STS (AssumeRoleWithWebIdentity through the AWS SDK for .NET), its keys read from the identity
    /// issuer in process, and refused once the pool turns the classic flow off.</summary>
    [Fact]
    public async Task The_classic_flow_takes_the_identity_token_to_STS_until_the_pool_turns_it_off()
    {
        var created = await kit.Pool(null, classic: true);
        var pool = created.IdentityPoolId!;
        var role = await kit.Role(pool, "unauthenticated");
        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId!;
        var token = (await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = guest })).Token!;

        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = kit.Server.BaseUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        using var anonymous = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
        var assumed = await anonymous.AssumeRoleWithWebIdentityAsync(new Amazon.SecurityToken.Model.AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role, RoleSessionName = "classic-app", WebIdentityToken = token,
        });
        Assert.StartsWith("ASIA", assumed.Credentials.AccessKeyId);
        Assert.Equal(guest, assumed.SubjectFromWebIdentityToken);
        using (var signed = new AmazonSecurityTokenServiceClient(
                   new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken), config))
        {
            var me = await signed.GetCallerIdentityAsync(new Amazon.SecurityToken.Model.GetCallerIdentityRequest());
            Assert.Equal($"arn:aws:sts::000000000000:assumed-role/{role.Split('/')[^1]}/classic-app", me.Arn);
        }

        await kit.Admin.Send(new UpdateIdentityPoolRequest
        {
            IdentityPoolId = pool, IdentityPoolName = created.IdentityPoolName, AllowUnauthenticatedIdentities = true, AllowClassicFlow = false,
        });
        var refused = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => anonymous.AssumeRoleWithWebIdentityAsync(
            new Amazon.SecurityToken.Model.AssumeRoleWithWebIdentityRequest { RoleArn = role, RoleSessionName = "classic-app", WebIdentityToken = token }));
        Assert.Equal("InvalidIdentityToken", refused.ErrorCode);
    }
}
