using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Testing;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, Portal.Testing: what a .NET app's integration test looks like. Portal runs in this process in
/// testing mode (PortalFixture); the app's own Cognito client talks to it over HTTP; the fixture reads the code.</summary>
public sealed class PortalFixtureSampleTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    RemoteCognito Admin => new(new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/") },
        new RemoteCognito.Credentials(PortalFixture.AccessKeyId, PortalFixture.SecretAccessKey));

    RemoteCognito App => new(new HttpClient { BaseAddress = new Uri(portal.BaseUrl + "/") }, null);

    [Fact]
    public async Task Sign_up_confirm_with_the_mailed_code_sign_in_mint_and_reset()
    {
        var pool = await Admin.Send(new CreateUserPoolRequest { PoolName = "app-tests", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"] });
        var poolId = pool.UserPool!.Id!;
        var client = await Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app", ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        var clientId = client.UserPoolClient!.ClientId!;

        // The app's sign-up, then the code Portal mailed, read without SMTP.
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await App.Send(new SignUpRequest
        {
            ClientId = clientId, Username = "ann@example.com", Password = "Fixture-Passw0rd",
            UserAttributes = [new AttributeType { Name = "email", Value = "ann@example.com" }],
        });
        var code = await portal.WaitForCode("ann@example.com", poolId, "sign-up", since);
        await App.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = "ann@example.com", ConfirmationCode = code });
        var signIn = await App.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "ann@example.com", ["PASSWORD"] = "Fixture-Passw0rd" },
        });
        Assert.NotNull(signIn.AuthenticationResult?.AccessToken);

        // Users in one call, and a session without the sign-in.
        await portal.SeedUsers(poolId, [new SeedUser("bob@example.com", "Fixture-Passw0rd", new Dictionary<string, string> { ["email"] = "bob@example.com" })]);
        var minted = await portal.MintSession(poolId, "bob@example.com", clientId);
        var me = await App.Send(new GetUserRequest { AccessToken = minted.AuthenticationResult.AccessToken });
        Assert.Equal("bob@example.com", me.UserAttributes!.Single(a => a.Name == "email").Value);

        await portal.ResetPool(poolId);
        Assert.Empty((await Admin.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);
        var unknown = await Assert.ThrowsAsync<PortalTestingException>(() => portal.ResetPool("us-east-1_NoSuchOne"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_code_expires_when_the_pools_clock_moves_on_a_day()
    {
        var pool = await Admin.Send(new CreateUserPoolRequest { PoolName = "clock-tests", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"] });
        var poolId = pool.UserPool!.Id!;
        var clientId = (await Admin.Send(new CreateUserPoolClientRequest { UserPoolId = poolId, ClientName = "app" })).UserPoolClient!.ClientId!;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await App.Send(new SignUpRequest
        {
            ClientId = clientId, Username = "late@example.com", Password = "Fixture-Passw0rd",
            UserAttributes = [new AttributeType { Name = "email", Value = "late@example.com" }],
        });
        var code = await portal.WaitForCode("late@example.com", poolId, "sign-up", since);

        var clock = await portal.AdvanceClock(poolId, TimeSpan.FromHours(25));
        Assert.Equal(25 * 3600, clock.OffsetSeconds);
        await Assert.ThrowsAsync<ExpiredCodeException>(() =>
            App.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = "late@example.com", ConfirmationCode = code }));
        Assert.Equal(0, (await portal.ClearClock(poolId)).OffsetSeconds);
    }
}
