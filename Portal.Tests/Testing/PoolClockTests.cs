using System.Net;
using System.Net.Http.Json;
using Portal.Client.Contract;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, time: a pool's clock runs ahead by an offset in testing mode, so a suite sees codes and tokens expire
/// without waiting; other pools keep real time.</summary>
[Collection(TestingCollection.Name)]
public sealed class PoolClockTests(TestingServer server)
{
    const long Day = 24 * 3600;

    Task Advance(string poolId, long seconds) => server.Post($"/_portal/testing/pools/{poolId}/clock/advance", new { Seconds = seconds });

    async Task<string> SignUp(string clientId, string poolId, string email)
    {
        var since = Uri.EscapeDataString(server.Clock.GetUtcNow().AddSeconds(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = email, Password = "Clock-Passw0rd!", UserAttributes = [new() { Name = "email", Value = email }],
        });
        var box = await server.Get($"/_portal/testing/mailbox?pool={poolId}&recipient={Uri.EscapeDataString(email)}&kind=sign-up&since={since}&wait=15");
        return box.GetProperty("Messages")[0].GetProperty("Code").GetString()!;
    }

    async Task<AuthenticationResultType> SignIn(string poolId, string clientId, string email)
    {
        await server.Post($"/_portal/testing/pools/{poolId}/users", new
        {
            Users = new[] { new { Username = email, Password = "Clock-Passw0rd!", Attributes = new Dictionary<string, string> { ["email"] = email } } },
        });
        var signIn = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = "Clock-Passw0rd!" },
        });
        return signIn.AuthenticationResult!;
    }

    static string? Email(GetUserResponse user) => user.UserAttributes!.Single(a => a.Name == "email").Value;

    [Fact]
    public async Task A_sign_up_code_expires_after_the_pools_clock_moves_on_25_hours_and_another_pools_code_still_confirms()
    {
        var (poolId, clientId) = await server.Pool();
        var (otherId, otherClient) = await server.Pool();
        var code = await SignUp(clientId, poolId, "late@example.com");
        var otherCode = await SignUp(otherClient, otherId, "ontime@example.com");

        await Advance(poolId, 25 * 3600);

        var expired = await Assert.ThrowsAsync<ExpiredCodeException>(() => server.Anonymous.Send(new ConfirmSignUpRequest
        {
            ClientId = clientId, Username = "late@example.com", ConfirmationCode = code,
        }));
        Assert.Equal("Invalid code provided, please request a code again.", expired.Message);
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = otherClient, Username = "ontime@example.com", ConfirmationCode = otherCode });
        var confirmed = await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = otherId, Username = "ontime@example.com" });
        Assert.Equal(UserStatus.Confirmed, confirmed.UserStatus);

        // A code sent on the moved clock lives its 24 hours from the pool's time: the resent one confirms.
        await server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = clientId, Username = "late@example.com" });
        var box = await server.Get($"/_portal/testing/mailbox?pool={poolId}&recipient=late%40example.com&kind=sign-up&limit=1");
        var fresh = box.GetProperty("Messages")[0].GetProperty("Code").GetString()!;
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = "late@example.com", ConfirmationCode = fresh });
        Assert.Equal(UserStatus.Confirmed, (await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = "late@example.com" })).UserStatus);
    }

    [Fact]
    public async Task An_access_token_issued_before_the_clock_moves_past_its_hour_is_refused_by_GetUser_and_another_pools_is_not()
    {
        var (poolId, clientId) = await server.Pool();
        var (otherId, otherClient) = await server.Pool();
        var tokens = await SignIn(poolId, clientId, "hour@example.com");
        var other = await SignIn(otherId, otherClient, "steady@example.com");
        Assert.Equal("hour@example.com", Email(await server.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken })));

        await Advance(poolId, 3600 + 60);

        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken }));
        Assert.Equal("Access Token has expired", refused.Message);
        Assert.Equal("steady@example.com", Email(await server.Anonymous.Send(new GetUserRequest { AccessToken = other.AccessToken })));

        // Cleared, the pool is back on real time and the token stands again.
        using (var http = server.Http())
            Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/_portal/testing/pools/{poolId}/clock")).StatusCode);
        Assert.Equal("hour@example.com", Email(await server.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken })));
    }

    [Fact]
    public async Task A_refresh_token_past_its_30_days_is_refused_and_one_inside_them_still_refreshes()
    {
        var (poolId, clientId) = await server.Pool();
        var tokens = await SignIn(poolId, clientId, "month@example.com");

        await Advance(poolId, 29 * Day);
        var refreshed = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = tokens.RefreshToken! },
        });
        Assert.NotNull(refreshed.AuthenticationResult?.AccessToken);
        // The token minted on the moved clock is valid on it.
        Assert.Equal("month@example.com", Email(await server.Anonymous.Send(new GetUserRequest { AccessToken = refreshed.AuthenticationResult!.AccessToken })));

        await Advance(poolId, 2 * Day);
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = tokens.RefreshToken! },
        }));
        Assert.Equal("Refresh Token has expired", refused.Message);
    }

    [Fact]
    public async Task The_clock_route_reads_sets_and_clears_the_offset_and_refuses_bad_input_with_sentences()
    {
        var (poolId, _) = await server.Pool();
        var fresh = await server.Get($"/_portal/testing/pools/{poolId}/clock");
        Assert.Equal(0, fresh.GetProperty("OffsetSeconds").GetInt64());

        using var http = server.Http();
        var set = await server.Json(await http.PutAsJsonAsync($"/_portal/testing/pools/{poolId}/clock", new { offsetSeconds = 7200 }));
        Assert.Equal(7200, set.GetProperty("OffsetSeconds").GetInt64());
        var now = DateTimeOffset.FromUnixTimeMilliseconds((long)(set.GetProperty("Now").GetDouble() * 1000));
        Assert.InRange((now - server.Clock.GetUtcNow()).TotalSeconds, 7100, 7300);
        await Advance(poolId, 600);
        Assert.Equal(7800, (await server.Get($"/_portal/testing/pools/{poolId}/clock")).GetProperty("OffsetSeconds").GetInt64());

        var backwards = await server.Json(await http.PutAsJsonAsync($"/_portal/testing/pools/{poolId}/clock", new { offsetSeconds = -60 }), HttpStatusCode.BadRequest);
        Assert.Equal("InvalidParameterException", backwards.GetProperty("__type").GetString());
        Assert.Contains("never goes back", backwards.GetProperty("message").GetString());
        var tooFar = await server.Json(await http.PostAsJsonAsync($"/_portal/testing/pools/{poolId}/clock/advance", new { seconds = 400 * Day }), HttpStatusCode.BadRequest);
        Assert.Contains("a year", tooFar.GetProperty("message").GetString());
        var noBody = await server.Json(await http.PutAsJsonAsync($"/_portal/testing/pools/{poolId}/clock", new { }), HttpStatusCode.BadRequest);
        Assert.Contains("offsetSeconds", noBody.GetProperty("message").GetString());
        var unknown = await server.Get("/_portal/testing/pools/us-east-1_Nonexist0/clock", HttpStatusCode.NotFound);
        Assert.Equal("ResourceNotFoundException", unknown.GetProperty("__type").GetString());

        var admin = (await server.Cognito.Send(new ListUserPoolsRequest { MaxResults = 60 })).UserPools!.First(p => p.Name == global::Portal.Server.Bootstrap.AdminPoolName);
        var refused = await server.Json(await http.PostAsJsonAsync($"/_portal/testing/pools/{admin.Id}/clock/advance", new { seconds = 60 }), HttpStatusCode.BadRequest);
        Assert.Contains("administration pool", refused.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync($"/_portal/testing/pools/{poolId}/clock")).StatusCode);
        Assert.Equal(0, (await server.Get($"/_portal/testing/pools/{poolId}/clock")).GetProperty("OffsetSeconds").GetInt64());
    }
}
