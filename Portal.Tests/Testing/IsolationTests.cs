using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Testing;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, isolation and speed: reset a pool keeping its configuration, clone a pool from a template (with a
/// time to live), seed users in one call, mint a session as a sign-in issues it.</summary>
[Collection(TestingCollection.Name)]
public sealed class IsolationTests(TestingServer server)
{
    const string Password = "Seeded-Passw0rd!";

    Task<JsonElement> Seed(string poolId, object users, HttpStatusCode expected = HttpStatusCode.OK) =>
        server.Post($"/_portal/testing/pools/{poolId}/users", new { Users = users }, expected);

    [Fact]
    public async Task Seeded_users_sign_in_with_their_password_carry_their_attributes_and_groups()
    {
        var (poolId, clientId) = await server.Pool();
        await server.Cognito.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = "admins" });
        var seeded = await Seed(poolId, new object[]
        {
            new { Username = "ann@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "ann@example.com", ["email_verified"] = "true", ["name"] = "Ann" }, Groups = new[] { "admins" } },
            new { Username = "bob@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "bob@example.com" } },
        });
        Assert.Equal(2, seeded.GetProperty("Users").GetArrayLength());

        var signIn = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "ann@example.com", ["PASSWORD"] = Password },
        });
        var me = await server.Anonymous.Send(new GetUserRequest { AccessToken = signIn.AuthenticationResult!.AccessToken });
        Assert.Equal("Ann", me.UserAttributes!.Single(a => a.Name == "name").Value);
        var groups = await server.Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = poolId, Username = "ann@example.com" });
        Assert.Equal("admins", Assert.Single(groups.Groups!).GroupName);
        var bob = await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = "bob@example.com" });
        Assert.Equal(UserStatus.Confirmed, bob.UserStatus);
        // Seeding sends nothing.
        Assert.Empty((await server.Get($"/_portal/testing/mailbox?pool={poolId}")).GetProperty("Messages").EnumerateArray());
    }

    [Fact]
    public async Task A_batch_with_one_bad_user_creates_no_one()
    {
        var (poolId, _) = await server.Pool();
        var error = await Seed(poolId, new object[]
        {
            new { Username = "first@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "first@example.com" } },
            new { Username = "first@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "first@example.com" } },
        }, HttpStatusCode.BadRequest);
        Assert.Equal("UsernameExistsException", error.GetProperty("__type").GetString());
        var users = await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId });
        Assert.Empty(users.Users!);
        var weak = await Seed(poolId, new object[] { new { Username = "weak@example.com", Password = "short" } }, HttpStatusCode.BadRequest);
        Assert.Equal("InvalidPasswordException", weak.GetProperty("__type").GetString());
        await Seed("us-east-1_NoSuchOne", new object[] { new { Username = "x@example.com", Password } }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reset_empties_a_pool_and_keeps_its_configuration()
    {
        var (poolId, clientId) = await server.Pool();
        await server.Cognito.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = "staff" });
        await Seed(poolId, new object[] { new { Username = "kept@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "kept@example.com" }, Groups = new[] { "staff" } } });
        var signIn = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "kept@example.com", ["PASSWORD"] = Password },
        });
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = "new@example.com", Password = Password, UserAttributes = [new() { Name = "email", Value = "new@example.com" }],
        });

        var reset = await server.Post($"/_portal/testing/pools/{poolId}/reset", null);
        Assert.Equal(2, reset.GetProperty("UsersDeleted").GetInt32());

        Assert.Empty((await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);
        Assert.Empty((await server.Get($"/_portal/testing/mailbox?pool={poolId}")).GetProperty("Messages").EnumerateArray());
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = signIn.AuthenticationResult!.RefreshToken! },
        }));
        // The configuration stays: the client, the group, the pool's settings; the same username signs up again.
        Assert.Equal("app", (await server.Cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = clientId })).UserPoolClient!.ClientName);
        Assert.Equal("staff", Assert.Single((await server.Cognito.Send(new ListGroupsRequest { UserPoolId = poolId })).Groups!).GroupName);
        await Seed(poolId, new object[] { new { Username = "kept@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "kept@example.com" } } });
    }

    [Fact]
    public async Task The_administration_pool_and_unknown_pools_are_not_reset()
    {
        var admin = server.Services.GetRequiredService<global::Portal.Server.Bootstrap>().Created!.AdminPoolId;
        var refused = await server.Post($"/_portal/testing/pools/{admin}/reset", null, HttpStatusCode.BadRequest);
        Assert.Equal("InvalidParameterException", refused.GetProperty("__type").GetString());
        Assert.Contains("administration pool", refused.GetProperty("message").GetString());
        Assert.NotEmpty((await server.Cognito.Send(new ListUsersRequest { UserPoolId = admin })).Users!);
        var unknown = await server.Post("/_portal/testing/pools/us-east-1_NoSuchOne/reset", null, HttpStatusCode.NotFound);
        Assert.Equal("User pool us-east-1_NoSuchOne does not exist.", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_clone_copies_the_configuration_with_fresh_client_ids_and_goes_when_its_time_to_live_ends()
    {
        var domain = "tmpl-" + Guid.NewGuid().ToString("n")[..8];
        var (template, clientId) = await server.Pool(domain);
        await server.Cognito.Send(new CreateUserPoolClientRequest { UserPoolId = template, ClientName = "backend", GenerateSecret = true });
        await server.Cognito.Send(new CreateGroupRequest { UserPoolId = template, GroupName = "editors", Precedence = 3 });
        await Seed(template, new object[] { new { Username = "template-user@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "template-user@example.com" } } });

        var clone = await server.Post($"/_portal/testing/pools/{template}/clone", new { PoolName = "worker-1", TtlSeconds = 60, DomainSuffix = "w1" });
        var cloneId = clone.GetProperty("UserPoolId").GetString()!;
        Assert.NotEqual(template, cloneId);
        Assert.Equal($"{domain}-w1", clone.GetProperty("Domain").GetString());
        var clients = clone.GetProperty("Clients").EnumerateArray().ToList();
        Assert.Equal(["app", "backend"], clients.Select(c => c.GetProperty("ClientName").GetString()));
        Assert.DoesNotContain(clients, c => c.GetProperty("ClientId").GetString() == clientId);
        Assert.Equal(clientId, clients[0].GetProperty("TemplateClientId").GetString());
        Assert.False(clients[0].TryGetProperty("ClientSecret", out _));
        Assert.Equal(51, clients[1].GetProperty("ClientSecret").GetString()!.Length);

        var described = (await server.Cognito.Send(new DescribeUserPoolRequest { UserPoolId = cloneId })).UserPool!;
        var original = (await server.Cognito.Send(new DescribeUserPoolRequest { UserPoolId = template })).UserPool!;
        Assert.Equal("worker-1", described.Name);
        Assert.Equal(original.UsernameAttributes, described.UsernameAttributes);
        Assert.Equal(original.AutoVerifiedAttributes, described.AutoVerifiedAttributes);
        Assert.Equal(original.Policies!.PasswordPolicy!.MinimumLength, described.Policies!.PasswordPolicy!.MinimumLength);
        Assert.Equal(0, described.EstimatedNumberOfUsers);
        Assert.Equal(3, Assert.Single((await server.Cognito.Send(new ListGroupsRequest { UserPoolId = cloneId })).Groups!).Precedence);
        var cloned = await server.Cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = cloneId, ClientId = clients[0].GetProperty("ClientId").GetString() });
        Assert.Equal(["https://app.example/callback"], cloned.UserPoolClient!.CallbackURLs);

        // The clone works: a user signs up in it and hears its code in the mailbox.
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clients[0].GetProperty("ClientId").GetString(), Username = "w1@example.com", Password = Password,
            UserAttributes = [new() { Name = "email", Value = "w1@example.com" }],
        });
        Assert.Single((await server.Get($"/_portal/testing/mailbox?pool={cloneId}")).GetProperty("Messages").EnumerateArray());

        // Its time to live passes: the sweeper deletes it, and only it.
        var sweeper = server.Services.GetRequiredService<TestPoolSweeper>();
        Assert.DoesNotContain(cloneId, await sweeper.Sweep(CancellationToken.None));
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Contains(cloneId, await sweeper.Sweep(CancellationToken.None));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Cognito.Send(new DescribeUserPoolRequest { UserPoolId = cloneId }));
        await server.Cognito.Send(new DescribeUserPoolRequest { UserPoolId = template });

        var bad = await server.Post($"/_portal/testing/pools/{template}/clone", new { TtlSeconds = 0 }, HttpStatusCode.BadRequest);
        Assert.Equal("InvalidParameterException", bad.GetProperty("__type").GetString());
        await server.Post("/_portal/testing/pools/us-east-1_NoSuchOne/clone", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_minted_session_works_with_GetUser_and_its_cookie_opens_the_hosted_UI_without_a_form()
    {
        var domain = "mint-" + Guid.NewGuid().ToString("n")[..8];
        var (poolId, clientId) = await server.Pool(domain);
        await server.Cognito.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = "testers" });
        await Seed(poolId, new object[] { new { Username = "minted@example.com", Password, Attributes = new Dictionary<string, string> { ["email"] = "minted@example.com" }, Groups = new[] { "testers" } } });

        var minted = await server.Post($"/_portal/testing/pools/{poolId}/sessions", new { Username = "minted@example.com", ClientId = clientId });
        var result = minted.GetProperty("AuthenticationResult");
        var access = result.GetProperty("AccessToken").GetString()!;
        Assert.Equal("Bearer", result.GetProperty("TokenType").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("IdToken").GetString()));
        var me = await server.Anonymous.Send(new GetUserRequest { AccessToken = access });
        Assert.Equal("minted@example.com", me.UserAttributes!.Single(a => a.Name == "email").Value);
        // As a sign-in issues it: the groups in the access token, and the refresh token renews.
        var claims = JsonDocument.Parse(Base64Url(access.Split('.')[1])).RootElement;
        Assert.Equal("testers", Assert.Single(claims.GetProperty("cognito:groups").EnumerateArray()).GetString());
        Assert.Equal(clientId, claims.GetProperty("client_id").GetString());
        var renewed = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = result.GetProperty("RefreshToken").GetString()! },
        });
        Assert.NotNull(renewed.AuthenticationResult!.AccessToken);

        var cookie = minted.GetProperty("SsoCookie");
        Assert.Equal($"portal-sso-{domain}", cookie.GetProperty("Name").GetString());
        Assert.Equal($"/{domain}", cookie.GetProperty("Path").GetString());
        var authorize = $"{server.BaseUrl}/{domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example/callback")}"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var toLogin = await http.GetAsync(authorize);
        var login = server.BaseUrl + toLogin.Headers.Location!.OriginalString;
        Assert.StartsWith($"{server.BaseUrl}/{domain}/login?", login);
        // Without the cookie, not back to the app; with it, straight back to the app with a code.
        using var without = await http.GetAsync(login);
        Assert.False(without.Headers.Location?.OriginalString.StartsWith("https://app.example/", StringComparison.Ordinal) == true,
            $"{(int)without.StatusCode} {without.Headers.Location}");
        using var request = new HttpRequestMessage(HttpMethod.Get, login);
        request.Headers.Add("Cookie", $"{cookie.GetProperty("Name").GetString()}={cookie.GetProperty("Value").GetString()}");
        using var with = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, with.StatusCode);
        Assert.StartsWith("https://app.example/callback?code=", with.Headers.Location!.ToString());

        var unconfirmed = await server.Cognito.Send(new AdminCreateUserRequest { UserPoolId = poolId, Username = "new@example.com", MessageAction = "SUPPRESS" });
        Assert.NotNull(unconfirmed.User);
        var refused = await server.Post($"/_portal/testing/pools/{poolId}/sessions", new { Username = "new@example.com", ClientId = clientId }, HttpStatusCode.BadRequest);
        Assert.Equal("UserNotConfirmedException", refused.GetProperty("__type").GetString());
        await server.Post($"/_portal/testing/pools/{poolId}/sessions", new { Username = "nobody@example.com", ClientId = clientId }, HttpStatusCode.NotFound);
    }

    static string Base64Url(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=')));
    }
}
