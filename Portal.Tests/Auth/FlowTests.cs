using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.UserPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The sign-in flows over the wire, as apps run them: SRP, password, admin password, refresh, the
/// NEW_PASSWORD_REQUIRED challenge, secret hashes, and the errors Cognito answers.</summary>
[Collection(ServerCollection.Name)]
public sealed class FlowTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    static void HasTokens(AuthenticationResultType? result, bool refresh = true)
    {
        Assert.NotNull(result);
        Assert.Equal(3, result.AccessToken!.Split('.').Length);
        Assert.Equal(3, result.IdToken!.Split('.').Length);
        Assert.Equal(3600, result.ExpiresIn);
        Assert.Equal("Bearer", result.TokenType);
        if (refresh) Assert.False(string.IsNullOrEmpty(result.RefreshToken));
        else Assert.Null(result.RefreshToken);
    }

    // ---- USER_SRP_AUTH ----

    [Fact]
    public async Task Srp_sign_in_answers_PASSWORD_VERIFIER_then_returns_tokens()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "alice");
        var srp = new SrpClient(app.PoolId);
        var challenge = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "alice", ["SRP_A"] = srp.SrpA },
        });
        Assert.Equal("PASSWORD_VERIFIER", challenge.ChallengeName);
        var p = challenge.ChallengeParameters!;
        Assert.Equal(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"], p.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("alice", p["USER_ID_FOR_SRP"]);
        Assert.Equal((await kit.Row(app.PoolId, "alice")).SrpVerifier!.Split(':')[0], p["SALT"]);

        var answer = await kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "PASSWORD_VERIFIER", Session = challenge.Session,
            ChallengeResponses = srp.Answer(p, AuthKit.Password, DateTimeOffset.UtcNow),
        });
        Assert.Null(answer.ChallengeName);
        HasTokens(answer.AuthenticationResult);
        Assert.Equal("alice", AuthKit.Claims(answer.AuthenticationResult!.AccessToken!).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Srp_with_a_wrong_password_is_NotAuthorized_and_the_secret_block_answers_once()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "bob");
        var srp = new SrpClient(app.PoolId);
        var challenge = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "bob", ["SRP_A"] = srp.SrpA },
        });
        var wrong = new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "PASSWORD_VERIFIER",
            ChallengeResponses = srp.Answer(challenge.ChallengeParameters!, "Wrong-Passw0rd", DateTimeOffset.UtcNow),
        };
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(wrong));
        Assert.Equal("Incorrect username or password.", e.Message);
        Assert.Equal(1, (await kit.Row(app.PoolId, "bob")).FailedSignIns);

        // The same secret block again, now with the right password: the session is gone.
        var replay = wrong with { ChallengeResponses = srp.Answer(challenge.ChallengeParameters!, AuthKit.Password, DateTimeOffset.UtcNow) };
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(replay));
    }

    [Fact]
    public async Task Srp_timestamp_must_be_in_the_client_format()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "carol");
        var srp = new SrpClient(app.PoolId);
        var challenge = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "carol", ["SRP_A"] = srp.SrpA },
        });
        var responses = srp.Answer(challenge.ChallengeParameters!, AuthKit.Password, DateTimeOffset.UtcNow);
        responses["TIMESTAMP"] = DateTimeOffset.UtcNow.ToString("O");
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "PASSWORD_VERIFIER", ChallengeResponses = responses,
        }));
        Assert.Contains("TIMESTAMP format", e.Message);
    }

    [Fact]
    public async Task Srp_for_an_unknown_user_gets_a_challenge_like_any_other_when_existence_errors_are_prevented()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "ENABLED" });
        async Task<InitiateAuthResponse> Start(string name) => await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH",
            AuthParameters = new() { ["USERNAME"] = name, ["SRP_A"] = new SrpClient(app.PoolId).SrpA },
        });
        var first = await Start("nobody");
        var second = await Start("nobody");
        Assert.Equal("PASSWORD_VERIFIER", first.ChallengeName);
        Assert.Equal(first.ChallengeParameters!["SALT"], second.ChallengeParameters!["SALT"]);
        Assert.NotEqual(first.ChallengeParameters["SRP_B"], second.ChallengeParameters["SRP_B"]);
        Assert.NotEqual(first.ChallengeParameters["SALT"], (await Start("somebody-else")).ChallengeParameters!["SALT"]);

        var srp = new SrpClient(app.PoolId);
        var challenge = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "nobody", ["SRP_A"] = srp.SrpA },
        });
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "PASSWORD_VERIFIER",
            ChallengeResponses = srp.Answer(challenge.ChallengeParameters!, AuthKit.Password, DateTimeOffset.UtcNow),
        }));
        Assert.Equal("Incorrect username or password.", e.Message);

        var legacy = await kit.Client(app.PoolId, new CreateUserPoolClientRequest { PreventUserExistenceErrors = "LEGACY" });
        var notFound = await Assert.ThrowsAsync<UserNotFoundException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = legacy.ClientId, AuthFlow = "USER_SRP_AUTH", AuthParameters = new() { ["USERNAME"] = "nobody", ["SRP_A"] = srp.SrpA },
        }));
        Assert.Equal("User does not exist.", notFound.Message);
    }

    [Fact]
    public async Task Srp_signs_in_by_email_when_the_pool_uses_email_as_username()
    {
        var app = await kit.Pool(new CreateUserPoolRequest { UsernameAttributes = ["email"] });
        var internalName = await kit.User(app.PoolId, "dora@example.com");
        var result = await kit.SrpSignIn(app, "dora@example.com");
        HasTokens(result.AuthenticationResult);
        var id = AuthKit.Claims(result.AuthenticationResult!.IdToken!);
        Assert.Equal(internalName, id.GetProperty("cognito:username").GetString());
        Assert.Equal("dora@example.com", id.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Sign_in_by_a_verified_alias_and_refusal_of_an_SRP_A_of_zero()
    {
        var app = await kit.Pool(new CreateUserPoolRequest { AliasAttributes = ["email", "preferred_username"] });
        await kit.User(app.PoolId, "eve", attributes: [("email", "eve@example.com"), ("email_verified", "true"), ("preferred_username", "evie")]);
        foreach (var name in new[] { "eve@example.com", "evie" })
        {
            var srp = await kit.SrpSignIn(app, name);
            Assert.Equal("eve", AuthKit.Claims(srp.AuthenticationResult!.AccessToken!).GetProperty("username").GetString());
            Assert.Equal("eve", AuthKit.Claims((await kit.PasswordSignIn(app, name)).AuthenticationResult!.AccessToken!).GetProperty("username").GetString());
        }
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH",
            AuthParameters = new() { ["USERNAME"] = "eve", ["SRP_A"] = Srp.PadHex(Srp.N) },
        }));
    }

    [Fact]
    public async Task Srp_needs_the_flow_enabled_on_the_client()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_SRP_AUTH",
            AuthParameters = new() { ["USERNAME"] = "x", ["SRP_A"] = new SrpClient(app.PoolId).SrpA },
        }));
        Assert.Equal("USER_SRP_AUTH is not enabled for the client.", e.Message);
    }

    // ---- USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH ----

    [Fact]
    public async Task Password_sign_in_returns_tokens()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "erin");
        var result = await kit.PasswordSignIn(app, "erin");
        Assert.Null(result.ChallengeName);
        HasTokens(result.AuthenticationResult);
    }

    [Fact]
    public async Task Password_flows_need_the_client_to_allow_them()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
        await kit.User(app.PoolId, "fred");
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.PasswordSignIn(app, "fred"));
        Assert.Equal("USER_PASSWORD_AUTH flow not enabled for this client", e.Message);
        var admin = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "fred", ["PASSWORD"] = AuthKit.Password },
        }));
        Assert.Equal("Auth flow not enabled for this client", admin.Message);
        // The admin flows are not for the public operation.
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "fred", ["PASSWORD"] = AuthKit.Password },
        }));
    }

    [Fact]
    public async Task Admin_password_sign_in_and_the_legacy_ADMIN_NO_SRP_AUTH()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "gina");
        var result = await kit.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "gina", ["PASSWORD"] = AuthKit.Password },
        });
        HasTokens(result.AuthenticationResult);

        var legacy = await kit.Client(app.PoolId, new CreateUserPoolClientRequest { ExplicitAuthFlows = ["ADMIN_NO_SRP_AUTH"] });
        var old = await kit.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = app.PoolId, ClientId = legacy.ClientId, AuthFlow = "ADMIN_NO_SRP_AUTH",
            AuthParameters = new() { ["USERNAME"] = "gina", ["PASSWORD"] = AuthKit.Password },
        });
        HasTokens(old.AuthenticationResult);

        // The client must belong to the pool named.
        var other = await kit.Pool();
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = other.PoolId, ClientId = app.ClientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "gina", ["PASSWORD"] = AuthKit.Password },
        }));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_answer_as_Cognito()
    {
        var legacy = await kit.Pool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "LEGACY" });
        await kit.User(legacy.PoolId, "hank");
        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(legacy, "hank", "Wrong-Passw0rd"));
        Assert.Equal("Incorrect username or password.", wrong.Message);
        var unknown = await Assert.ThrowsAsync<UserNotFoundException>(() => kit.PasswordSignIn(legacy, "nobody"));
        Assert.Equal("User does not exist.", unknown.Message);

        var prevented = await kit.Client(legacy.PoolId, new CreateUserPoolClientRequest { PreventUserExistenceErrors = "ENABLED" });
        var hidden = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(prevented, "nobody"));
        Assert.Equal("Incorrect username or password.", hidden.Message);
    }

    [Fact]
    public async Task Disabled_unconfirmed_and_reset_required_users_cannot_sign_in()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "ivan");
        await kit.Admin.Send(new AdminDisableUserRequest { UserPoolId = app.PoolId, Username = "ivan" });
        var disabled = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "ivan"));
        Assert.Equal("User is disabled.", disabled.Message);

        await kit.User(app.PoolId, "judy");
        await kit.Change(app.PoolId, "judy", u => u.Status = "UNCONFIRMED");
        var unconfirmed = await Assert.ThrowsAsync<UserNotConfirmedException>(() => kit.PasswordSignIn(app, "judy"));
        Assert.Equal("User is not confirmed.", unconfirmed.Message);

        await kit.User(app.PoolId, "kurt");
        await kit.Change(app.PoolId, "kurt", u => u.Status = "RESET_REQUIRED");
        await Assert.ThrowsAsync<PasswordResetRequiredException>(() => kit.PasswordSignIn(app, "kurt"));
        await Assert.ThrowsAsync<PasswordResetRequiredException>(() => kit.SrpSignIn(app, "kurt"));
    }

    [Fact]
    public async Task Client_with_a_secret_needs_the_secret_hash()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        Assert.NotNull(app.ClientSecret);
        await kit.User(app.PoolId, "lena");
        var missing = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "lena", ["PASSWORD"] = AuthKit.Password },
        }));
        Assert.Equal($"Client {app.ClientId} is configured for secret but secret was not received", missing.Message);
        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = "lena", ["PASSWORD"] = AuthKit.Password, ["SECRET_HASH"] = AuthKit.SecretHash(app, "someone") },
        }));
        Assert.Equal($"Unable to verify secret hash for client {app.ClientId}", wrong.Message);

        HasTokens((await kit.PasswordSignIn(app, "lena")).AuthenticationResult);
        HasTokens((await kit.SrpSignIn(app, "lena")).AuthenticationResult);
        var signedIn = await kit.PasswordSignIn(app, "lena");
        var refreshed = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH",
            AuthParameters = new()
            {
                ["REFRESH_TOKEN"] = signedIn.AuthenticationResult!.RefreshToken!, ["SECRET_HASH"] = AuthKit.SecretHash(app, "lena"),
            },
        });
        HasTokens(refreshed.AuthenticationResult, refresh: false);
    }

    // ---- NEW_PASSWORD_REQUIRED ----

    [Fact]
    public async Task Temporary_password_leads_to_NEW_PASSWORD_REQUIRED_and_the_answer_signs_in()
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "name", AttributeDataType = "String", Required = true, Mutable = true }],
        });
        await kit.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = app.PoolId, Username = "mia", TemporaryPassword = "Temp-Passw0rd", MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = "mia@example.com" }, new() { Name = "email_verified", Value = "true" },
                              new() { Name = "name", Value = "Mia" }],
        });
        await kit.Change(app.PoolId, "mia", u => UserStoreRemove(u, "name"));

        var challenge = await kit.PasswordSignIn(app, "mia", "Temp-Passw0rd");
        Assert.Equal("NEW_PASSWORD_REQUIRED", challenge.ChallengeName);
        Assert.False(string.IsNullOrEmpty(challenge.Session));
        var attributes = JsonSerializer.Deserialize<Dictionary<string, string>>(challenge.ChallengeParameters!["userAttributes"])!;
        Assert.Equal("mia@example.com", attributes["email"]);
        Assert.False(attributes.ContainsKey("sub"));
        Assert.Equal(["userAttributes.name"], JsonSerializer.Deserialize<string[]>(challenge.ChallengeParameters["requiredAttributes"])!);
        Assert.Equal("mia", challenge.ChallengeParameters["USER_ID_FOR_SRP"]);

        var request = new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = "mia", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        };
        // A missing required attribute leaves the session usable; a password the policy refuses too.
        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Anonymous.Send(request));
        Assert.Contains("name", missing.Message);
        request.ChallengeResponses["userAttributes.name"] = "Mia Wallace";
        request.ChallengeResponses["NEW_PASSWORD"] = "short";
        await Assert.ThrowsAsync<InvalidPasswordException>(() => kit.Anonymous.Send(request));
        request.ChallengeResponses["NEW_PASSWORD"] = "New-Passw0rd!";
        var done = await kit.Anonymous.Send(request);
        HasTokens(done.AuthenticationResult);
        Assert.Equal("Mia Wallace", AuthKit.Claims(done.AuthenticationResult!.IdToken!).GetProperty("name").GetString());

        var row = await kit.Row(app.PoolId, "mia");
        Assert.Equal("CONFIRMED", row.Status);
        HasTokens((await kit.PasswordSignIn(app, "mia", "New-Passw0rd!")).AuthenticationResult);

        // The session answered once.
        var again = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(request));
        Assert.Equal("Invalid session for the user.", again.Message);
    }

    static void UserStoreRemove(UserRow row, string name) => UserStore.SetAttributes(row, [new(name, null)]);

    [Fact]
    public async Task NEW_PASSWORD_REQUIRED_through_SRP_and_the_admin_respond()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "nick", "Temp-Passw0rd", permanent: false);
        var srp = await kit.SrpSignIn(app, "nick", "Temp-Passw0rd");
        Assert.Equal("NEW_PASSWORD_REQUIRED", srp.ChallengeName);
        var done = await kit.Admin.Send(new AdminRespondToAuthChallengeRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = srp.Session,
            ChallengeResponses = new() { ["USERNAME"] = "nick", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        });
        HasTokens(done.AuthenticationResult);
        HasTokens((await kit.SrpSignIn(app, "nick", "New-Passw0rd!")).AuthenticationResult);
    }

    [Fact]
    public async Task A_session_is_bound_to_its_client_and_challenge()
    {
        var app = await kit.Pool();
        var other = await kit.Client(app.PoolId);
        await kit.User(app.PoolId, "olga", "Temp-Passw0rd", permanent: false);
        var challenge = await kit.PasswordSignIn(app, "olga", "Temp-Passw0rd");
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = other.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = "olga", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        }));
        Assert.Equal("Invalid session for the user.", e.Message);
        var stored = await kit.Db(db => db.AuthSessions.AsNoTracking().Where(s => s.UserPoolId == app.PoolId).ToListAsync());
        Assert.DoesNotContain(stored, s => s.Id == challenge.Session);
        Assert.Contains(stored, s => s.Id == Tokens.Hash(challenge.Session!));
    }

    // ---- REFRESH_TOKEN_AUTH ----

    [Fact]
    public async Task Refresh_returns_new_id_and_access_tokens_of_the_same_family()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "paul");
        var signedIn = (await kit.PasswordSignIn(app, "paul")).AuthenticationResult!;
        foreach (var flow in new[] { "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN" })
        {
            var refreshed = await kit.Anonymous.Send(new InitiateAuthRequest
            {
                ClientId = app.ClientId, AuthFlow = flow, AuthParameters = new() { ["REFRESH_TOKEN"] = signedIn.RefreshToken! },
            });
            HasTokens(refreshed.AuthenticationResult, refresh: false);
            var before = AuthKit.Claims(signedIn.AccessToken!);
            var after = AuthKit.Claims(refreshed.AuthenticationResult!.AccessToken!);
            Assert.Equal(before.GetProperty("origin_jti").GetString(), after.GetProperty("origin_jti").GetString());
            Assert.Equal(before.GetProperty("auth_time").GetInt64(), after.GetProperty("auth_time").GetInt64());
            Assert.NotEqual(before.GetProperty("jti").GetString(), after.GetProperty("jti").GetString());
        }

        var other = await kit.Client(app.PoolId);
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = other.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = signedIn.RefreshToken! },
        }));
        Assert.Equal("Invalid Refresh Token", e.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = "not-a-refresh-token" },
        }));
    }

    [Fact]
    public async Task Refresh_token_rotation_issues_a_new_refresh_token_when_configured()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest
        {
            RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = 0 },
        });
        await kit.User(app.PoolId, "quin");
        var first = (await kit.PasswordSignIn(app, "quin")).AuthenticationResult!.RefreshToken!;
        // Rotating clients refresh with GetTokensFromRefreshToken, as Cognito documents (REFRESH_TOKEN_AUTH is refused).
        var rotated = await kit.Anonymous.Send(new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = first });
        var second = rotated.AuthenticationResult!.RefreshToken;
        Assert.False(string.IsNullOrEmpty(second));
        Assert.NotEqual(first, second);
        HasTokens((await kit.Anonymous.Send(
            new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = second! })).AuthenticationResult);
        await Assert.ThrowsAsync<RefreshTokenReuseException>(() => kit.Anonymous.Send(
            new GetTokensFromRefreshTokenRequest { ClientId = app.ClientId, RefreshToken = first }));
    }

    // ---- RevokeToken, GlobalSignOut, GetUser ----

    [Fact]
    public async Task RevokeToken_kills_the_refresh_token_and_the_access_tokens_of_its_family_only()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "rita");
        var one = (await kit.PasswordSignIn(app, "rita")).AuthenticationResult!;
        var two = (await kit.PasswordSignIn(app, "rita")).AuthenticationResult!;

        await kit.Anonymous.Send(new RevokeTokenRequest { ClientId = app.ClientId, Token = one.RefreshToken });
        var refresh = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = one.RefreshToken! },
        }));
        Assert.Equal("Refresh Token has been revoked", refresh.Message);
        var revoked = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = one.AccessToken }));
        Assert.Equal("Access Token has been revoked", revoked.Message);
        Assert.Equal("rita", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = two.AccessToken })).Username);

        await Assert.ThrowsAsync<UnsupportedTokenTypeException>(() =>
            kit.Anonymous.Send(new RevokeTokenRequest { ClientId = app.ClientId, Token = two.AccessToken }));
        var other = await kit.Client(app.PoolId);
        await Assert.ThrowsAsync<UnauthorizedException>(() =>
            kit.Anonymous.Send(new RevokeTokenRequest { ClientId = other.ClientId, Token = two.RefreshToken }));
    }

    [Fact]
    public async Task RevokeToken_needs_revocation_enabled_and_the_secret_of_a_confidential_client()
    {
        var off = await kit.Pool(client: new CreateUserPoolClientRequest { EnableTokenRevocation = false });
        await kit.User(off.PoolId, "sam");
        var tokens = (await kit.PasswordSignIn(off, "sam")).AuthenticationResult!;
        await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            kit.Anonymous.Send(new RevokeTokenRequest { ClientId = off.ClientId, Token = tokens.RefreshToken }));

        var confidential = await kit.Client(off.PoolId, new CreateUserPoolClientRequest { GenerateSecret = true });
        var theirs = (await kit.PasswordSignIn(confidential, "sam")).AuthenticationResult!;
        await Assert.ThrowsAsync<UnauthorizedException>(() =>
            kit.Anonymous.Send(new RevokeTokenRequest { ClientId = confidential.ClientId, Token = theirs.RefreshToken }));
        await Assert.ThrowsAsync<UnauthorizedException>(() => kit.Anonymous.Send(new RevokeTokenRequest
        {
            ClientId = confidential.ClientId, Token = theirs.RefreshToken, ClientSecret = new string('x', 51),
        }));
        await kit.Anonymous.Send(new RevokeTokenRequest { ClientId = confidential.ClientId, Token = theirs.RefreshToken, ClientSecret = confidential.ClientSecret });
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = theirs.AccessToken }));
    }

    [Fact]
    public async Task GlobalSignOut_invalidates_every_token_issued_before_and_not_later_ones()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "tina");
        var web = (await kit.PasswordSignIn(app, "tina")).AuthenticationResult!;
        var phone = (await kit.SrpSignIn(app, "tina")).AuthenticationResult!;

        await kit.Anonymous.Send(new GlobalSignOutRequest { AccessToken = web.AccessToken });
        foreach (var old in new[] { web, phone })
        {
            var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = old.AccessToken }));
            Assert.Equal("Access Token has been revoked", e.Message);
            await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
            {
                ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = old.RefreshToken! },
            }));
        }
        // Signing in again right away (within the same second) works.
        var fresh = (await kit.PasswordSignIn(app, "tina")).AuthenticationResult!;
        Assert.Equal("tina", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = fresh.AccessToken })).Username);
    }

    [Fact]
    public async Task AdminUserGlobalSignOut_kills_the_access_tokens_too()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "uma");
        var tokens = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!;
        await kit.Admin.Send(new AdminUserGlobalSignOutRequest { UserPoolId = app.PoolId, Username = "uma" });
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken }));
        Assert.Equal("Access Token has been revoked", e.Message);
        var fresh = (await kit.PasswordSignIn(app, "uma")).AuthenticationResult!;
        Assert.Equal("uma", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = fresh.AccessToken })).Username);
    }

    [Fact]
    public async Task GetUser_returns_the_user_and_refuses_anything_but_a_valid_access_token()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "vera", attributes: [("email", "vera@example.com")]);
        var tokens = (await kit.PasswordSignIn(app, "vera")).AuthenticationResult!;
        var me = await kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken });
        Assert.Equal("vera", me.Username);
        var attributes = me.UserAttributes!.ToDictionary(a => a.Name!, a => a.Value);
        Assert.Equal("vera@example.com", attributes["email"]);
        Assert.Equal((await kit.Row(app.PoolId, "vera")).Sub, attributes["sub"]);

        var id = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.IdToken }));
        Assert.Equal("Invalid Access Token", id.Message);
        var parts = tokens.AccessToken!.Split('.');
        var forged = $"{parts[0]}.{Jwt.Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { sub = "x", token_use = "access" }))}.{parts[2]}";
        Assert.Equal("Invalid Access Token",
            (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = forged }))).Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = "abc.def.ghi" }));

        await kit.Admin.Send(new AdminDeleteUserRequest { UserPoolId = app.PoolId, Username = "vera" });
        await Assert.ThrowsAsync<UserNotFoundException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken }));
    }

    // ---- USER_AUTH (choice-based) ----

    [Fact]
    public async Task Choice_based_sign_in_offers_the_password_factors()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "walt");
        var direct = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_AUTH",
            AuthParameters = new() { ["USERNAME"] = "walt", ["PREFERRED_CHALLENGE"] = "PASSWORD", ["PASSWORD"] = AuthKit.Password },
        });
        HasTokens(direct.AuthenticationResult);

        var choice = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_AUTH", AuthParameters = new() { ["USERNAME"] = "walt" },
        });
        Assert.Equal("SELECT_CHALLENGE", choice.ChallengeName);
        Assert.Equal(["PASSWORD", "PASSWORD_SRP"], choice.AvailableChallenges);
        var answered = await kit.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "SELECT_CHALLENGE", Session = choice.Session,
            ChallengeResponses = new() { ["USERNAME"] = "walt", ["ANSWER"] = "PASSWORD", ["PASSWORD"] = AuthKit.Password },
        });
        HasTokens(answered.AuthenticationResult);
    }
}

/// <summary>The flows that depend on time: the lockout after repeated failures, and sessions that expire.</summary>
[Collection(ClockedCollection.Name)]
public sealed class ClockedFlowTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    [Fact]
    public async Task Five_wrong_passwords_lock_the_user_for_a_growing_while()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "xena");
        for (var i = 0; i < 5; i++)
            Assert.Equal("Incorrect username or password.",
                (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "xena", "Wrong-Passw0rd"))).Message);

        // Locked: even the right password, and SRP too, until the lock ends.
        Assert.Equal("Password attempts exceeded",
            (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "xena"))).Message);
        Assert.Equal("Password attempts exceeded",
            (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.SrpSignIn(app, "xena"))).Message);
        var row = await kit.Row(app.PoolId, "xena");
        Assert.Equal(5, row.FailedSignIns);
        AssertClose(server.Clock.GetUtcNow() + TimeSpan.FromSeconds(1), row.LockedUntil);

        // The next failure locks for twice as long.
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "xena", "Wrong-Passw0rd"));
        AssertClose(server.Clock.GetUtcNow() + TimeSpan.FromSeconds(2), (await kit.Row(app.PoolId, "xena")).LockedUntil);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "xena"));

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull((await kit.PasswordSignIn(app, "xena")).AuthenticationResult);
        row = await kit.Row(app.PoolId, "xena");
        Assert.Equal(0, row.FailedSignIns);
        Assert.Null(row.LockedUntil);
    }

    static void AssertClose(DateTimeOffset expected, DateTimeOffset? actual) =>
        Assert.InRange(actual!.Value, expected - TimeSpan.FromMilliseconds(1), expected + TimeSpan.FromMilliseconds(1));

    [Fact]
    public async Task Sessions_expire_after_the_clients_auth_session_validity()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { AuthSessionValidity = 5 });
        await kit.User(app.PoolId, "yuri", "Temp-Passw0rd", permanent: false);
        var challenge = await kit.PasswordSignIn(app, "yuri", "Temp-Passw0rd");
        var request = new RespondToAuthChallengeRequest
        {
            ClientId = app.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = "yuri", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        };
        server.Clock.Advance(TimeSpan.FromMinutes(4));
        var inTime = await kit.PasswordSignIn(app, "yuri", "Temp-Passw0rd");
        Assert.NotNull((await kit.Anonymous.Send(request with { Session = inTime.Session })).AuthenticationResult);

        await kit.User(app.PoolId, "zoe", "Temp-Passw0rd", permanent: false);
        var late = await kit.PasswordSignIn(app, "zoe", "Temp-Passw0rd");
        server.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(request with
        {
            Session = late.Session,
            ChallengeResponses = new() { ["USERNAME"] = "zoe", ["NEW_PASSWORD"] = "New-Passw0rd!" },
        }));
        Assert.Equal("Invalid session for the user, session is expired.", e.Message);
    }
}
