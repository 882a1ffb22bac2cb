using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>AdminListUserAuthEvents and AdminUpdateAuthEventFeedback over the wire: what each sign-in, sign-up,
/// password change, reset and resend records for pools with threat protection, and nothing for pools without.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuthEventsTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    static CreateUserPoolRequest Protected(string mode = "AUDIT") => new()
    {
        UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = mode },
        AutoVerifiedAttributes = ["email"],
    };

    Task<AdminListUserAuthEventsResponse> List(AuthKit.App app, string username, int? max = null, string? next = null) =>
        kit.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = app.PoolId, Username = username, MaxResults = max, NextToken = next });

    Task<InitiateAuthResponse> PasswordSignIn(AuthKit.App app, string username, string password) =>
        kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = password },
        });

    static string Challenges(AuthEventType e) =>
        string.Join(",", (e.ChallengeResponses ?? []).Select(c => $"{c.ChallengeName}:{c.ChallengeResponse}"));

    [Fact]
    public async Task Sign_ins_are_listed_newest_first_with_the_password_challenge_and_where_they_came_from()
    {
        var app = await kit.Pool(Protected());
        await kit.User(app.PoolId, "ada");
        await Assert.ThrowsAsync<NotAuthorizedException>(() => PasswordSignIn(app, "ada", "Wrong-Passw0rd!"));
        Assert.NotNull((await PasswordSignIn(app, "ada", AuthKit.Password)).AuthenticationResult);
        // A server-side app passes the end user's address and browser.
        await kit.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "ada", ["PASSWORD"] = AuthKit.Password },
            ContextData = new ContextDataType
            {
                IpAddress = "203.0.113.9", ServerName = "shop.example.com", ServerPath = "/login",
                HttpHeaders = [new HttpHeader { headerName = "User-Agent", headerValue = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" }],
            },
        });

        var events = (await List(app, "ada")).AuthEvents!;
        Assert.Equal(["Pass", "Pass", "Fail"], events.Select(e => e.EventResponse));
        Assert.All(events, e => Assert.Equal("SignIn", e.EventType));
        Assert.Equal(["Password:Success", "Password:Success", "Password:Failure"], events.Select(Challenges));
        Assert.Equal("203.0.113.9", events[0].EventContextData!.IpAddress);
        Assert.Equal("Chrome 131, Linux", events[0].EventContextData!.DeviceName);
        Assert.Equal("127.0.0.1", events[2].EventContextData!.IpAddress);
        Assert.True(events[0].CreationDate >= events[1].CreationDate && events[1].CreationDate >= events[2].CreationDate);
        Assert.All(events, e => Assert.False(e.EventRisk!.CompromisedCredentialsDetected));
        Assert.Equal(3, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Pages_follow_NextToken_and_a_token_of_another_user_is_refused()
    {
        var app = await kit.Pool(Protected("ENFORCED"));
        await kit.User(app.PoolId, "grace");
        await kit.User(app.PoolId, "alan");
        for (var i = 0; i < 5; i++) await PasswordSignIn(app, "grace", AuthKit.Password);
        await PasswordSignIn(app, "alan", AuthKit.Password);

        var first = await List(app, "grace", max: 2);
        Assert.Equal(2, first.AuthEvents!.Count);
        Assert.NotNull(first.NextToken);
        var seen = first.AuthEvents.Select(e => e.EventId).ToList();
        var next = first.NextToken;
        while (next is not null)
        {
            var page = await List(app, "grace", max: 2, next: next);
            seen.AddRange(page.AuthEvents!.Select(e => e.EventId));
            next = page.NextToken;
        }
        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(5, seen.Count);
        await Assert.ThrowsAsync<InvalidParameterException>(() => List(app, "alan", max: 2, next: first.NextToken));
        Assert.Single((await List(app, "alan")).AuthEvents!);
    }

    [Fact]
    public async Task A_pool_without_threat_protection_records_nothing_and_says_so()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "nora");
        await PasswordSignIn(app, "nora", AuthKit.Password);
        var e = await Assert.ThrowsAsync<UserPoolAddOnNotEnabledException>(() => List(app, "nora"));
        Assert.Contains("AdvancedSecurityMode", e.Message);
        Assert.Equal(0, await kit.Db(db => Task.FromResult(db.AuthEvents.Count(r => r.UserPoolId == app.PoolId))));

        // Turned on later, the pool records from then on.
        var pool = (await kit.Admin.Send(new DescribeUserPoolRequest { UserPoolId = app.PoolId })).UserPool!;
        await kit.Admin.Send(new UpdateUserPoolRequest
        {
            UserPoolId = app.PoolId, UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" },
            AutoVerifiedAttributes = pool.AutoVerifiedAttributes,
        });
        await PasswordSignIn(app, "nora", AuthKit.Password);
        Assert.Single((await List(app, "nora")).AuthEvents!);
    }

    [Fact]
    public async Task Unknown_pools_and_users_are_Cognitos_errors()
    {
        var app = await kit.Pool(Protected());
        await Assert.ThrowsAsync<UserNotFoundException>(() => List(app, "nobody"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            kit.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = "us-east-1_Nope0000", Username = "x" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => List(app, "nobody", max: 61));
    }

    [Fact]
    public async Task A_first_sign_in_with_a_temporary_password_is_in_progress_until_the_new_password_then_passes()
    {
        var app = await kit.Pool(Protected());
        await kit.User(app.PoolId, "tim", "Temp-Passw0rd!", permanent: false);
        var challenge = await PasswordSignIn(app, "tim", "Temp-Passw0rd!");
        Assert.Equal("NEW_PASSWORD_REQUIRED", challenge.ChallengeName);
        Assert.Equal("InProgress", (await List(app, "tim")).AuthEvents!.Single().EventResponse);

        await kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = "tim", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        });
        var only = (await List(app, "tim")).AuthEvents!.Single();
        Assert.Equal("Pass", only.EventResponse);
        Assert.Equal("Password:Success", Challenges(only));
    }

    [Fact]
    public async Task Sign_up_resend_forgot_password_and_password_changes_are_recorded()
    {
        var app = await kit.Pool(Protected());
        await kit.Anonymous.Send(new SignUpRequest
        {
            ClientId = app.ClientId, Username = "sam", Password = AuthKit.Password,
            UserAttributes = [new AttributeType { Name = "email", Value = "sam@example.com" }],
            UserContextData = new UserContextDataType { IpAddress = "198.51.100.7" },
        });
        await kit.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = app.ClientId, Username = "sam" });
        await kit.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = app.PoolId, Username = "sam" });
        await kit.Admin.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = app.PoolId, Username = "sam", UserAttributes = [new AttributeType { Name = "email_verified", Value = "true" }],
        });
        await kit.Anonymous.Send(new ForgotPasswordRequest { ClientId = app.ClientId, Username = "sam" });
        var token = (await PasswordSignIn(app, "sam", AuthKit.Password)).AuthenticationResult!.AccessToken;
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new ChangePasswordRequest
        {
            AccessToken = token, PreviousPassword = "Not-the-Passw0rd!", ProposedPassword = "Newer-Passw0rd!",
        }));
        await kit.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = AuthKit.Password, ProposedPassword = "Newer-Passw0rd!" });

        var events = (await List(app, "sam", max: 60)).AuthEvents!;
        Assert.Equal(
            ["PasswordChange:Pass", "PasswordChange:Fail", "SignIn:Pass", "ForgotPassword:Pass", "ResendCode:Pass", "SignUp:Pass"],
            events.Select(e => $"{e.EventType}:{e.EventResponse}"));
        Assert.Equal("198.51.100.7", events[^1].EventContextData!.IpAddress);
    }

    [Fact]
    public async Task Feedback_marks_an_event_and_unknown_events_are_not_found()
    {
        var app = await kit.Pool(Protected());
        await kit.User(app.PoolId, "fay");
        await Assert.ThrowsAsync<NotAuthorizedException>(() => PasswordSignIn(app, "fay", "Wrong-Passw0rd!"));
        var failed = (await List(app, "fay")).AuthEvents!.Single();
        Assert.Null(failed.EventFeedback);

        await kit.Admin.Send(new AdminUpdateAuthEventFeedbackRequest
        {
            UserPoolId = app.PoolId, Username = "fay", EventId = failed.EventId, FeedbackValue = "Invalid",
        });
        var marked = (await List(app, "fay")).AuthEvents!.Single();
        Assert.Equal("Invalid", marked.EventFeedback!.FeedbackValue);
        Assert.Equal("Admin", marked.EventFeedback.Provider);
        Assert.NotNull(marked.EventFeedback.FeedbackDate);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new AdminUpdateAuthEventFeedbackRequest
        {
            UserPoolId = app.PoolId, Username = "fay", EventId = Guid.NewGuid().ToString(), FeedbackValue = "Valid",
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new AdminUpdateAuthEventFeedbackRequest
        {
            UserPoolId = app.PoolId, Username = "fay", EventId = failed.EventId, FeedbackValue = "Maybe",
        }));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge 131, Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari 17, macOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133, Linux")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", "Safari 17, iOS")]
    [InlineData("aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12 prompt/off command/cognito-idp.initiate-auth", "aws-cli 2.9, Linux")]
    [InlineData("aws-sdk-js/3.700.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.20.2 api/cognito-identity-provider#3.700.0", "aws-sdk-js 3.700, Linux")]
    [InlineData("", null)]
    public void Device_names_come_from_the_user_agent(string agent, string? device) => Assert.Equal(device, AuthEvents.DeviceName(agent));
}
