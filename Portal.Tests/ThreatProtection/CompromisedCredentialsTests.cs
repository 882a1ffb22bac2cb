using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.ThreatProtection;

namespace Portal.Tests.ThreatProtection;

/// <summary>Threat protection's risk configuration (SetRiskConfiguration / DescribeRiskConfiguration) and compromised-
/// credentials detection over the wire, against a local Pwned Passwords range API that records what Portal sent.</summary>
[Collection(ThreatCollection.Name)]
public sealed partial class CompromisedCredentialsTests(ThreatServer server)
{
    const string Good = "Unbreached-Passw0rd-7!";
    // Breached according to the range API only (not in the offline corpus), and satisfying any policy.
    const string Breached = "Breached-Passw0rd-1!";
    // In the offline corpus (a common password), for the fallback; the pools' policy lets it through.
    const string Common = "sunshine1";

    static readonly PasswordPolicyType Lax = new() { MinimumLength = 8, RequireLowercase = false, RequireUppercase = false, RequireNumbers = false, RequireSymbols = false };

    async Task<(string PoolId, string ClientId)> Pool(string mode, string action = "BLOCK", List<string>? filter = null)
    {
        var admin = server.Admin;
        var poolId = (await admin.Send(new CreateUserPoolRequest
        {
            PoolName = Infrastructure.PortalServer.Unique("tp"), UserPoolTier = "PLUS", AutoVerifiedAttributes = ["email"],
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = mode }, Policies = new UserPoolPolicyType { PasswordPolicy = Lax },
        })).UserPool!.Id!;
        var clientId = (await admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "app",
            ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        await admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId,
            CompromisedCredentialsRiskConfiguration = new() { EventFilter = filter, Actions = new() { EventAction = action } },
        });
        return (poolId, clientId);
    }

    async Task<string> User(string poolId, string password = Good)
    {
        var username = Infrastructure.PortalServer.Unique("u");
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = password, Permanent = true });
        return username;
    }

    Task<InitiateAuthResponse> SignIn(string clientId, string username, string password) =>
        server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = password },
        });

    async Task<List<AuthEventType>> Events(string poolId, string username) =>
        (await server.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = poolId, Username = username })).AuthEvents!;

    Task<List<string>> Reasons(string poolId, string username) => server.Db(async db =>
    {
        var sub = await db.Users.Where(u => u.UserPoolId == poolId && u.Username == username).Select(u => u.Sub).SingleAsync();
        var rows = await db.AuthEvents.Where(e => e.UserSub == sub).ToListAsync();
        return rows.OrderByDescending(e => e.CreatedAt).SelectMany(global::Portal.Server.Auth.AuthEvents.Reasons).ToList();
    });

    /// <summary>Every request the range API got since <paramref name="before"/> was a GET of /range/ and 5 hex characters,
    /// with nothing else: no query, no body.</summary>
    void OnlyFiveHexLeft(int before, int atLeast)
    {
        var requests = server.Range.Requests.Skip(before).ToList();
        Assert.True(requests.Count >= atLeast, $"expected at least {atLeast} range requests, got {requests.Count}");
        Assert.All(requests, r =>
        {
            Assert.Equal("GET", r.Method);
            Assert.Matches(RangePath(), r.PathAndQuery);
            Assert.True(r.BodyLength is null or 0);
            Assert.True(r.Padding);
        });
    }

    [GeneratedRegex("^/range/[0-9A-F]{5}$")]
    private static partial Regex RangePath();

    [Fact]
    public async Task Under_BLOCK_sign_up_admin_set_change_and_reset_refuse_a_breached_password_with_Cognitos_error()
    {
        server.Range.Breach(Breached);
        var (poolId, clientId) = await Pool("ENFORCED");
        var before = server.Range.Requests.Count;

        // Sign-up.
        var signUp = await Assert.ThrowsAsync<InvalidPasswordException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = Infrastructure.PortalServer.Unique("s"), Password = Breached,
            UserAttributes = [new() { Name = "email", Value = "s@example.com" }],
        }));
        Assert.Equal("Provided password cannot be used for security reasons.", signUp.Message);
        Assert.NotNull((await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = Infrastructure.PortalServer.Unique("s"), Password = Good,
            UserAttributes = [new() { Name = "email", Value = "s2@example.com" }],
        })).UserSub);

        // AdminSetUserPassword and AdminCreateUser's chosen temporary password.
        var username = await User(poolId);
        var set = await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = Breached, Permanent = true }));
        Assert.Equal(CompromisedCredentials.Refusal, set.Message);
        await Assert.ThrowsAsync<InvalidPasswordException>(() => server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = Infrastructure.PortalServer.Unique("t"), TemporaryPassword = Breached, MessageAction = "SUPPRESS",
        }));

        // ChangePassword: refused, and the old password still signs in.
        var token = (await SignIn(clientId, username, Good)).AuthenticationResult!.AccessToken!;
        var change = await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = Good, ProposedPassword = Breached }));
        Assert.Equal(CompromisedCredentials.Refusal, change.Message);
        Assert.NotNull((await SignIn(clientId, username, Good)).AuthenticationResult);

        // ForgotPassword / ConfirmForgotPassword.
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        var code = await server.Mail.CodeTo($"{username}@example.com");
        var confirm = await Assert.ThrowsAsync<InvalidPasswordException>(() => server.Anonymous.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = clientId, Username = username, ConfirmationCode = code, Password = Breached,
        }));
        Assert.Equal(CompromisedCredentials.Refusal, confirm.Message);

        // The refused change is on the user's history, flagged.
        var refused = (await Events(poolId, username)).First(e => e.EventType == "PasswordChange" && e.EventResponse == "Fail");
        Assert.True(refused.EventRisk!.CompromisedCredentialsDetected);
        Assert.Equal("Block", refused.EventRisk.RiskDecision);
        Assert.Contains(await Reasons(poolId, username), r => r.Contains("source: range API, seen 12,345 times", StringComparison.Ordinal) && r.EndsWith("blocked", StringComparison.Ordinal));

        OnlyFiveHexLeft(before, atLeast: 6);
        // The full hash never left: no request carried more than its first 5 characters.
        Assert.DoesNotContain(server.Range.Requests, r => r.PathAndQuery.Contains(RangeApi.Hex(Breached)[..6], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_AUDIT_the_same_passwords_are_accepted_and_recorded_on_the_event_and_the_user()
    {
        server.Range.Breach(Breached);
        var (poolId, clientId) = await Pool("AUDIT");
        var username = Infrastructure.PortalServer.Unique("s");
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Breached, UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }],
        });
        var signUp = Assert.Single(await Events(poolId, username));
        Assert.Equal("SignUp", signUp.EventType);
        Assert.Equal("Pass", signUp.EventResponse);
        Assert.True(signUp.EventRisk!.CompromisedCredentialsDetected);
        Assert.Equal("NoRisk", signUp.EventRisk.RiskDecision);
        Assert.Contains(await Reasons(poolId, username), r => r.Contains("at sign-up", StringComparison.Ordinal) && r.EndsWith("recorded (audit mode)", StringComparison.Ordinal));

        var admin = await User(poolId, Breached); // admin set: accepted
        var token = (await SignIn(clientId, admin, Breached)).AuthenticationResult!.AccessToken!; // sign-in: accepted
        await server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = Breached, ProposedPassword = Breached + "x" });
        var events = await Events(poolId, admin);
        Assert.Equal(["PasswordChange", "SignIn"], events.Select(e => e.EventType));
        Assert.False(events[0].EventRisk!.CompromisedCredentialsDetected); // the new password is not breached
        Assert.True(events[1].EventRisk!.CompromisedCredentialsDetected);
        // The user's finding follows their current password.
        Assert.Null(await server.Db(db => db.Users.Where(u => u.Username == admin).Select(u => u.CompromisedCredentialsAt).SingleAsync()));
        Assert.NotNull(await server.Db(db => db.Users.Where(u => u.Username == username).Select(u => u.CompromisedCredentialsAt).SingleAsync()));
    }

    [Fact]
    public async Task Under_AUDIT_a_change_and_a_reset_to_a_breached_password_pass_and_are_recorded()
    {
        server.Range.Breach(Breached);
        var (poolId, clientId) = await Pool("AUDIT");
        var username = await User(poolId);
        async Task<bool> Flagged(string name) => await server.Db(db => db.Users.Where(u => u.Username == name).Select(u => u.CompromisedCredentialsAt).SingleAsync()) is not null;
        async Task Reset(string password)
        {
            var mails = server.Mail.CountTo($"{username}@example.com");
            await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
            await server.Anonymous.Send(new ConfirmForgotPasswordRequest
            {
                ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo($"{username}@example.com", mails + 1), Password = password,
            });
        }

        // ChangePassword to a breached password: accepted; its event says the credentials are compromised, and so does the user.
        var token = (await SignIn(clientId, username, Good)).AuthenticationResult!.AccessToken!;
        await server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = Good, ProposedPassword = Breached });
        var change = (await Events(poolId, username)).First(e => e.EventType == "PasswordChange");
        Assert.Equal("Pass", change.EventResponse);
        Assert.True(change.EventRisk!.CompromisedCredentialsDetected);
        Assert.Equal("NoRisk", change.EventRisk.RiskDecision);
        Assert.True(await Flagged(username));

        // A reset to a good password clears the finding; a reset to a breached one is accepted and flags the user again.
        await Reset(Good);
        Assert.False(await Flagged(username));
        await Reset(Breached);
        Assert.True(await Flagged(username));
        Assert.Contains(await Reasons(poolId, username), r => r.Contains("password change", StringComparison.Ordinal) && r.EndsWith("recorded (audit mode)", StringComparison.Ordinal));
        // And the breached password still signs in (AUDIT never acts); that sign-in's event says so too.
        Assert.NotNull((await SignIn(clientId, username, Breached)).AuthenticationResult);
        Assert.True((await Events(poolId, username)).First(e => e.EventType == "SignIn").EventRisk!.CompromisedCredentialsDetected);
    }

    [Fact]
    public async Task Under_BLOCK_on_SIGN_IN_a_breached_password_sets_the_user_to_reset_required_until_the_password_is_reset()
    {
        server.Range.Breach(Breached);
        var (poolId, clientId) = await Pool("ENFORCED", "BLOCK", ["SIGN_IN"]); // sign-up and changes not checked
        var username = await User(poolId, Breached);
        var e = await Assert.ThrowsAsync<PasswordResetRequiredException>(() => SignIn(clientId, username, Breached));
        Assert.Equal("Password reset required for the user", e.Message);
        Assert.Equal("RESET_REQUIRED", (await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username })).UserStatus);
        var failed = (await Events(poolId, username)).First();
        Assert.Equal(("SignIn", "Fail", "Block", true), (failed.EventType, failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.CompromisedCredentialsDetected!.Value));

        // A reset with a clean password lets the user in again.
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        await server.Anonymous.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo($"{username}@example.com"), Password = Good,
        });
        Assert.NotNull((await SignIn(clientId, username, Good)).AuthenticationResult);
    }

    [Fact]
    public async Task With_the_range_API_stopped_the_offline_corpus_answers_and_the_event_says_so()
    {
        var (blockPool, blockClient) = await Pool("ENFORCED");
        var (auditPool, auditClient) = await Pool("AUDIT");
        server.Range.Down();
        try
        {
            await Assert.ThrowsAsync<InvalidPasswordException>(() => server.Anonymous.Send(new SignUpRequest
            {
                ClientId = blockClient, Username = Infrastructure.PortalServer.Unique("s"), Password = Common,
                UserAttributes = [new() { Name = "email", Value = "o@example.com" }],
            }));
            var username = Infrastructure.PortalServer.Unique("s");
            await server.Anonymous.Send(new SignUpRequest
            {
                ClientId = auditClient, Username = username, Password = Common, UserAttributes = [new() { Name = "email", Value = "a@example.com" }],
            });
            Assert.True(Assert.Single(await Events(auditPool, username)).EventRisk!.CompromisedCredentialsDetected);
            Assert.Contains(await Reasons(auditPool, username), r => r.Contains("source: offline corpus (range API unreachable)", StringComparison.Ordinal));
            // A password in neither list passes.
            await server.Anonymous.Send(new SignUpRequest
            {
                ClientId = blockClient, Username = Infrastructure.PortalServer.Unique("s"), Password = Good,
                UserAttributes = [new() { Name = "email", Value = "g@example.com" }],
            });
        }
        finally
        {
            server.Range.Up();
        }
        Assert.NotNull(blockPool);
    }

    [Fact]
    public async Task Risk_configuration_is_set_and_described_per_pool_and_per_client_and_a_client_can_go_back_to_the_pools()
    {
        var (poolId, clientId) = await Pool("ENFORCED", "BLOCK", ["SIGN_UP", "PASSWORD_CHANGE"]);
        var pool = (await server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId })).RiskConfiguration!;
        Assert.Equal(poolId, pool.UserPoolId);
        Assert.Null(pool.ClientId);
        Assert.Equal(["SIGN_UP", "PASSWORD_CHANGE"], pool.CompromisedCredentialsRiskConfiguration!.EventFilter!);
        Assert.Equal("BLOCK", pool.CompromisedCredentialsRiskConfiguration.Actions!.EventAction);
        Assert.NotNull(pool.LastModifiedDate);

        // A client without its own configuration describes the pool's.
        var inherited = (await server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId, ClientId = clientId })).RiskConfiguration!;
        Assert.Equal(clientId, inherited.ClientId);
        Assert.Equal("BLOCK", inherited.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);

        var own = (await server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, ClientId = clientId,
            AccountTakeoverRiskConfiguration = new()
            {
                Actions = new()
                {
                    LowAction = new() { Notify = false, EventAction = "NO_ACTION" },
                    MediumAction = new() { Notify = false, EventAction = "MFA_IF_CONFIGURED" },
                    HighAction = new() { Notify = false, EventAction = "BLOCK" },
                },
            },
            RiskExceptionConfiguration = new() { BlockedIPRangeList = ["192.0.2.0/24"], SkippedIPRangeList = ["10.0.0.0/8", "2001:db8::/32"] },
        })).RiskConfiguration!;
        Assert.Equal("BLOCK", own.AccountTakeoverRiskConfiguration!.Actions!.HighAction!.EventAction);
        var described = (await server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId, ClientId = clientId })).RiskConfiguration!;
        Assert.Null(described.CompromisedCredentialsRiskConfiguration); // the client's own replaces the pool's whole
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], described.RiskExceptionConfiguration!.SkippedIPRangeList!);

        // Only the ids: the client inherits the pool's again.
        await server.Admin.Send(new SetRiskConfigurationRequest { UserPoolId = poolId, ClientId = clientId });
        var back = (await server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = poolId, ClientId = clientId })).RiskConfiguration!;
        Assert.Equal("BLOCK", back.CompromisedCredentialsRiskConfiguration!.Actions!.EventAction);
        Assert.Null(back.RiskExceptionConfiguration);
    }

    [Fact]
    public async Task Bad_input_answers_Cognitos_errors()
    {
        var (poolId, _) = await Pool("AUDIT");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = "us-east-1_nope12345" }));
        var client = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            server.Admin.Send(new SetRiskConfigurationRequest { UserPoolId = poolId, ClientId = "nosuchclient0000000000000a" }));
        Assert.Equal("User pool client nosuchclient0000000000000a does not exist.", client.Message);
        var cidr = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, RiskExceptionConfiguration = new() { BlockedIPRangeList = ["192.0.2.0/33"] },
        }));
        Assert.Contains("192.0.2.0/33", cidr.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, RiskExceptionConfiguration = new() { SkippedIPRangeList = ["not-an-address"] },
        }));
        var action = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "SHRUG" } },
        }));
        Assert.Contains("Member must satisfy enum value set: [BLOCK, NO_ACTION]", action.Message, StringComparison.Ordinal);
        var filter = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = poolId, CompromisedCredentialsRiskConfiguration = new() { EventFilter = ["SIGN_OUT"], Actions = new() { EventAction = "BLOCK" } },
        }));
        Assert.Contains("Value 'SIGN_OUT' at 'compromisedCredentialsRiskConfiguration.eventFilter.1.member'", filter.Message, StringComparison.Ordinal);

        // A pool with threat protection OFF.
        var off = (await server.Admin.Send(new CreateUserPoolRequest { PoolName = Infrastructure.PortalServer.Unique("off") })).UserPool!.Id!;
        await Assert.ThrowsAsync<UserPoolAddOnNotEnabledException>(() => server.Admin.Send(new DescribeRiskConfigurationRequest { UserPoolId = off }));
        await Assert.ThrowsAsync<UserPoolAddOnNotEnabledException>(() => server.Admin.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = off, CompromisedCredentialsRiskConfiguration = new() { Actions = new() { EventAction = "BLOCK" } },
        }));
    }

    [Fact]
    public void The_offline_corpus_holds_the_shipped_list_and_finds_common_passwords_only()
    {
        var corpus = new BreachedPasswordCorpus();
        Assert.Equal(49233, corpus.Count);
        Assert.True(corpus.Contains("password1"));
        Assert.True(corpus.Contains(Common));
        Assert.False(corpus.Contains(Good));
        Assert.False(corpus.Contains(Breached));
    }
}
