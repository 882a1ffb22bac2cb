using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;

namespace Portal.Tests.TriggerEngine;

/// <summary>Each trigger's effect on its flow, as Cognito has it, with the inline, webhook and Lambda targets.</summary>
[Collection(TriggerCollection.Name)]
public sealed class TriggerFlowTests(TriggerServer server)
{
    const string Password = "Passw0rd!x";

    static JsonObject Claims(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)))!.AsObject();
    }

    async Task<string> ConfirmedUser(string poolId, string? email = null)
    {
        var username = TriggerServer.Unique("u");
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email ?? $"{username}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await server.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = username, Password = Password, Permanent = true });
        return username;
    }

    Task<InitiateAuthResponse> SignIn(string clientId, string username, string password = Password) =>
        server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = password },
        });

    // ---- pre sign-up ----

    [Fact]
    public async Task Pre_sign_up_inline_auto_confirms_and_auto_verifies_the_email()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PreSignUp", """
            exports.handler = async (event) => {
              event.response.autoConfirmUser = true;
              event.response.autoVerifyEmail = event.request.userAttributes.email.endsWith("@example.com");
              return event;
            };
            """);
        var username = TriggerServer.Unique("su");
        var email = $"{username}@example.com";
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });

        Assert.True(signUp.UserConfirmed);
        Assert.Null(signUp.CodeDeliveryDetails);
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal("CONFIRMED", user.UserStatus);
        Assert.Equal("true", user.UserAttributes!.Single(a => a.Name == "email_verified").Value);
        // Confirmed already: no confirmation code is sent, and the user can sign in at once.
        Assert.Equal(0, await server.Db(db => db.Outbox.CountAsync(m => m.Destination == email)));
        Assert.NotNull((await SignIn(clientId, username)).AuthenticationResult?.IdToken);

        var logged = Assert.Single(await server.Invocations(poolId, "PreSignUp"));
        Assert.Equal("PreSignUp_SignUp", logged.TriggerSource);
        Assert.Equal("Succeeded", logged.Outcome);
        var ev = JsonNode.Parse(logged.Event!)!;
        Assert.Equal(clientId, ev["callerContext"]!["clientId"]!.ToString());
        Assert.Equal(poolId, ev["userPoolId"]!.ToString());
        Assert.Equal(poolId.Split('_')[0], ev["region"]!.ToString());
        Assert.Equal(email, ev["request"]!["userAttributes"]!["email"]!.ToString());
    }

    [Fact]
    public async Task Pre_sign_up_throwing_refuses_the_sign_up_and_leaves_no_user()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PreSignUp", """
            exports.handler = async (event) => {
              if (!event.request.userAttributes.email.endsWith("@example.com")) throw new Error("Only example.com may sign up");
              return event;
            };
            """);
        var username = TriggerServer.Unique("no");
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = $"{username}@other.org" }],
        }));
        Assert.Equal("PreSignUp failed with error Only example.com may sign up.", e.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() => server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username }));
        Assert.Equal(0, await server.Db(db => db.Users.CountAsync(u => u.UserPoolId == poolId)));
        Assert.Equal(0, await server.Db(db => db.Outbox.CountAsync(m => m.UserPoolId == poolId)));

        var logged = Assert.Single(await server.Invocations(poolId, "PreSignUp"));
        Assert.Equal("Failed", logged.Outcome);
        Assert.Equal("Only example.com may sign up", logged.Error);
        // The password never reaches the log.
        Assert.DoesNotContain(Password, logged.Event);
    }

    [Fact]
    public async Task Pre_sign_up_webhook_sees_admin_create_user_and_auto_verifies_the_email()
    {
        var (poolId, _) = await server.CreatePool();
        var name = TriggerServer.Unique("hook");
        var url = server.Functions.Webhook(name, "webhook-secret-0123456789", ev =>
        {
            ev["response"]!["autoVerifyEmail"] = true;
            return ev;
        });
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Webhook, Url = url, Secret = "webhook-secret-0123456789",
        });
        var username = TriggerServer.Unique("adm");
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = username, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }],
            ValidationData = [new() { Name = "invite", Value = "abc" }],
        });

        var call = Assert.Single(server.Functions.CallsOf(name));
        Assert.Equal("PreSignUp_AdminCreateUser", call.Event["triggerSource"]!.ToString());
        Assert.Equal("CLIENT_ID_NOT_APPLICABLE", call.Event["callerContext"]!["clientId"]!.ToString());
        Assert.Equal("abc", call.Event["request"]!["validationData"]!["invite"]!.ToString());
        Assert.StartsWith("sha256=", call.Headers["X-Portal-Signature"]);
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal("true", user.UserAttributes!.Single(a => a.Name == "email_verified").Value);
        Assert.Equal("FORCE_CHANGE_PASSWORD", user.UserStatus);
        Assert.Equal(url, Assert.Single(await server.Invocations(poolId)).Target);
    }

    [Fact]
    public async Task A_webhook_with_the_wrong_secret_is_refused_by_the_receiver_and_the_step_fails()
    {
        var (poolId, clientId) = await server.CreatePool();
        var name = TriggerServer.Unique("hook");
        var url = server.Functions.Webhook(name, "the-receivers-secret-000", ev => ev);
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreSignUp", Kind = TriggerTargetKinds.Webhook, Url = url, Secret = "another-secret-0000000",
        });
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = TriggerServer.Unique("x"), Password = Password,
            UserAttributes = [new() { Name = "email", Value = "x@example.com" }],
        }));
        Assert.Equal("PreSignUp failed with error bad signature.", e.Message);
    }

    // ---- pre token generation ----

    [Fact]
    public async Task A_right_password_whose_sign_in_the_token_trigger_refuses_is_not_counted_as_a_wrong_one()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = await ConfirmedUser(poolId);
        Task<int> Failures() => server.Db(db => db.Users.Where(u => u.UserPoolId == poolId && u.Username == username).Select(u => u.FailedSignIns).SingleAsync());
        for (var i = 0; i < 2; i++) await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, "Wrong-Passw0rd!"));
        Assert.Equal(2, await Failures());

        // Each sign-in below proves the password, then fails at its last step and rolls back: the attempt counted before
        // the check is taken back all the same, so six of them (more than the lockout allows) never lock the user.
        await server.PutInline(poolId, "PreTokenGeneration", """exports.handler = async () => { throw new Error("tokens are paused"); };""");
        for (var i = 0; i < 6; i++)
        {
            var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => SignIn(clientId, username));
            Assert.Contains("tokens are paused", e.Message);
        }
        Assert.Equal(2, await Failures());

        // A whole sign-in forgets the failures (the take-back and the reset in one commit).
        await server.PutInline(poolId, "PreTokenGeneration", """exports.handler = async (event) => event;""");
        Assert.NotNull((await SignIn(clientId, username)).AuthenticationResult?.IdToken);
        Assert.Equal(0, await Failures());
    }

    [Fact]
    public async Task Pre_token_generation_v1_adds_and_suppresses_id_token_claims_and_overrides_groups()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PreTokenGeneration", """
            exports.handler = async (event, context) => {
              console.log("tokens for", event.userName, event.triggerSource);
              event.response = {
                claimsOverrideDetails: {
                  claimsToAddOrOverride: { tier: "gold", email: "hidden@example.com" },
                  claimsToSuppress: ["email_verified"],
                  groupOverrideDetails: { groupsToOverride: ["vip"], iamRolesToOverride: [], preferredRole: null },
                },
              };
              return event;
            };
            """);
        var username = await ConfirmedUser(poolId);
        var tokens = (await SignIn(clientId, username)).AuthenticationResult!;

        var id = Claims(tokens.IdToken!);
        Assert.Equal("gold", id["tier"]!.ToString());
        Assert.Equal("hidden@example.com", id["email"]!.ToString());
        Assert.False(id.ContainsKey("email_verified"));
        Assert.Equal("vip", id["cognito:groups"]![0]!.ToString());
        var access = Claims(tokens.AccessToken!);
        Assert.False(access.ContainsKey("tier"));
        Assert.Equal("vip", access["cognito:groups"]![0]!.ToString());

        var logged = Assert.Single(await server.Invocations(poolId, "PreTokenGeneration"));
        Assert.Equal("TokenGeneration_Authentication", logged.TriggerSource);
        Assert.Contains($"tokens for {username} TokenGeneration_Authentication", logged.Logs);
        Assert.Equal("1", JsonNode.Parse(logged.Event!)!["version"]!.ToString());

        // Refreshing runs it again with its own source.
        var refreshed = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = tokens.RefreshToken! },
        });
        Assert.Equal("gold", Claims(refreshed.AuthenticationResult!.IdToken!)["tier"]!.ToString());
        Assert.Contains(await server.Invocations(poolId, "PreTokenGeneration"), i => i.TriggerSource == "TokenGeneration_RefreshTokens");
    }

    [Fact]
    public async Task Pre_token_generation_v2_on_lambda_adds_an_access_token_claim_and_scope()
    {
        var (poolId, clientId) = await server.CreatePool();
        var name = TriggerServer.Unique("ptg");
        var arn = server.Functions.Lambda(name, ev =>
        {
            Assert.Equal("2", ev["version"]!.ToString());
            ev["response"] = JsonNode.Parse("""
                {"claimsAndScopeOverrideDetails": {
                  "idTokenGeneration": {"claimsToAddOrOverride": {"plan": "pro"}},
                  "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme", "roles": ["admin", "dev"]},
                                            "scopesToAdd": ["orders/read"], "scopesToSuppress": []}
                }}
                """);
            return ev;
        });
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PreTokenGeneration", Kind = TriggerTargetKinds.Lambda, FunctionArn = arn, LambdaVersion = "V2_0",
        });
        var pool = (await server.Admin.Send(new DescribeUserPoolRequest { UserPoolId = poolId })).UserPool!;
        Assert.Equal(arn, pool.LambdaConfig!.PreTokenGenerationConfig!.LambdaArn);
        Assert.Equal("V2_0", pool.LambdaConfig.PreTokenGenerationConfig.LambdaVersion);

        var username = await ConfirmedUser(poolId);
        var tokens = (await SignIn(clientId, username)).AuthenticationResult!;
        var access = Claims(tokens.AccessToken!);
        Assert.Equal("acme", access["tenant"]!.ToString());
        Assert.Equal("dev", access["roles"]![1]!.ToString());
        Assert.Equal(["aws.cognito.signin.user.admin", "orders/read"], access["scope"]!.ToString().Split(' '));
        Assert.Equal("pro", Claims(tokens.IdToken!)["plan"]!.ToString());

        var call = Assert.Single(server.Functions.CallsOf(name));
        Assert.Equal("aws.cognito.signin.user.admin", call.Event["request"]!["scopes"]![0]!.ToString());
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + TriggerServer.LambdaAccessKey, call.Headers["Authorization"]);
    }

    [Fact]
    public async Task Pre_token_generation_V3_changes_machine_to_machine_tokens_and_a_failure_gives_none()
    {
        var (poolId, _) = await server.CreatePool(new CreateUserPoolRequest { UserPoolTier = "ESSENTIALS" });
        var domain = TriggerServer.Unique("m2m").ToLowerInvariant();
        await server.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        await server.Admin.Send(new CreateResourceServerRequest
        {
            UserPoolId = poolId, Identifier = "orders", Name = "Orders",
            Scopes = [new() { ScopeName = "read", ScopeDescription = "read" }, new() { ScopeName = "write", ScopeDescription = "write" }],
        });
        var client = (await server.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "worker", GenerateSecret = true, AllowedOAuthFlows = ["client_credentials"],
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["orders/read", "orders/write"],
        })).UserPoolClient!;
        await server.PutInline(poolId, "PreTokenGeneration", """
            exports.handler = async (event) => {
              if (event.request.scopes.includes("orders/write")) throw new Error("workers may not write");
              event.response.claimsAndScopeOverrideDetails = {
                accessTokenGeneration: {
                  claimsToAddOrOverride: { tenant: "acme", source: event.triggerSource, client: event.callerContext.clientId, sub: "forged" },
                  scopesToAdd: ["orders/audit"],
                },
              };
              return event;
            };
            """, "V3_0");

        async Task<HttpResponseMessage> Token(string scope)
        {
            using var http = new HttpClient();
            var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/{domain}/oauth2/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }),
            };
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{client.ClientId}:{client.ClientSecret}")));
            return await http.SendAsync(request);
        }

        var ok = await Token("orders/read");
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        var access = Claims(JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["access_token"]!.ToString());
        Assert.Equal("acme", access["tenant"]!.ToString());
        Assert.Equal("TokenGeneration_ClientCredentials", access["source"]!.ToString());
        Assert.Equal(client.ClientId, access["client"]!.ToString());
        Assert.Equal(client.ClientId, access["sub"]!.ToString());   // reserved: not overridden
        Assert.Equal(["orders/read", "orders/audit"], access["scope"]!.ToString().Split(' '));

        var refused = await Token("orders/write");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request", error["error"]!.ToString());
        Assert.Contains("workers may not write", error["error_description"]!.ToString());
        Assert.DoesNotContain("access_token", await refused.Content.ReadAsStringAsync());
    }

    // ---- user migration ----

    [Fact]
    public async Task User_migration_creates_the_user_on_first_sign_in_and_the_second_uses_the_stored_password()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = TriggerServer.Unique("old");
        await server.PutInline(poolId, "UserMigration", $$"""
            const directory = { "{{username}}": { password: "Legacy-pass1", email: "{{username}}@legacy.example" } };
            exports.handler = async (event) => {
              const found = directory[event.userName];
              if (event.triggerSource !== "UserMigration_Authentication" || !found || found.password !== event.request.password)
                throw new Error("Bad password");
              event.response.userAttributes = { email: found.email, email_verified: "true", name: "Old Timer" };
              event.response.finalUserStatus = "CONFIRMED";
              event.response.messageAction = "SUPPRESS";
              return event;
            };
            """);

        var first = await SignIn(clientId, username, "Legacy-pass1");
        Assert.NotNull(first.AuthenticationResult?.IdToken);
        Assert.Equal($"{username}@legacy.example", Claims(first.AuthenticationResult!.IdToken!)["email"]!.ToString());
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal("CONFIRMED", user.UserStatus);
        Assert.Equal("Old Timer", user.UserAttributes!.Single(a => a.Name == "name").Value);

        // Now the user is Portal's: the password is checked here and the old directory is not asked again.
        await server.PutInline(poolId, "UserMigration", "exports.handler = async () => { throw new Error('must not be called'); };");
        Assert.NotNull((await SignIn(clientId, username, "Legacy-pass1")).AuthenticationResult?.AccessToken);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, "Wrong-pass1"));
        var logged = Assert.Single(await server.Invocations(poolId, "UserMigration"));
        Assert.Equal("UserMigration_Authentication", logged.TriggerSource);
        Assert.DoesNotContain("Legacy-pass1", logged.Event);
        Assert.Equal("***", JsonNode.Parse(logged.Event!)!["request"]!["password"]!.ToString());

        // An unknown user with a wrong password is not created.
        var stranger = TriggerServer.Unique("str");
        await server.PutInline(poolId, "UserMigration", "exports.handler = async () => { throw new Error('Bad password'); };");
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => SignIn(clientId, stranger, "Whatever-1"));
        Assert.Equal("UserMigration failed with error Bad password.", e.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() => server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = stranger }));
    }

    [Fact]
    public async Task A_migrated_user_with_enableSMSMFA_is_asked_for_an_SMS_code_on_the_first_sign_in()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"], SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::123456789012:role/sms" },
        });
        await server.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = poolId, MfaConfiguration = "OPTIONAL", SmsMfaConfiguration = new SmsMfaConfigType { SmsAuthenticationMessage = "Code {####}" },
        });
        var username = TriggerServer.Unique("mfa");
        await server.PutInline(poolId, "UserMigration", """
            exports.handler = async (event) => {
              event.response.userAttributes = { phone_number: "+15555550199", phone_number_verified: "true" };
              event.response.finalUserStatus = "CONFIRMED";
              event.response.messageAction = "SUPPRESS";
              event.response.enableSMSMFA = true;
              return event;
            };
            """);
        var challenge = await SignIn(clientId, username, "Legacy-pass1");
        Assert.Equal("SMS_MFA", challenge.ChallengeName);
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal(["SMS_MFA"], user.UserMFASettingList);
        var body = await server.Db(db => db.Outbox.Where(m => m.Destination == "+15555550199").OrderByDescending(m => m.CreatedAt).Select(m => m.Body).FirstAsync());
        var signedIn = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "SMS_MFA", Session = challenge.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["SMS_MFA_CODE"] = body["Code ".Length..] },
        });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
    }

    [Fact]
    public async Task User_migration_on_forgot_password_creates_the_user_to_reset()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = TriggerServer.Unique("fp");
        var email = $"{username}@example.com";
        await server.PutInline(poolId, "UserMigration", $$"""
            exports.handler = async (event) => {
              if (event.triggerSource !== "UserMigration_ForgotPassword" || event.request.password !== undefined) throw new Error("unexpected");
              event.response.userAttributes = { email: "{{email}}", email_verified: "true" };
              event.response.messageAction = "SUPPRESS";
              return event;
            };
            """);
        var forgot = await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        Assert.Equal("EMAIL", forgot.CodeDeliveryDetails!.DeliveryMedium);
        Assert.Equal("RESET_REQUIRED", (await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username })).UserStatus);
        var code = await server.Mail.CodeTo(email);
        await server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = code, Password = "New-Passw0rd" });
        Assert.NotNull((await SignIn(clientId, username, "New-Passw0rd")).AuthenticationResult);
    }

    // ---- custom authentication ----

    const string DefineChallenge = """
        exports.handler = async (event) => {
          const session = event.request.session;
          if (session.length > 0 && session[session.length - 1].challengeResult === true) {
            event.response.issueTokens = true;
            event.response.failAuthentication = false;
          } else if (session.length >= 3) {
            event.response.issueTokens = false;
            event.response.failAuthentication = true;
          } else {
            event.response.issueTokens = false;
            event.response.failAuthentication = false;
            event.response.challengeName = "CUSTOM_CHALLENGE";
          }
          return event;
        };
        """;

    const string CreateChallenge = """
        exports.handler = async (event) => {
          const round = event.request.session.length + 1;
          event.response.publicChallengeParameters = { question: "What is 2 + " + round + "?" };
          event.response.privateChallengeParameters = { answer: String(2 + round) };
          event.response.challengeMetadata = "ROUND-" + round;
          return event;
        };
        """;

    const string VerifyChallenge = """
        exports.handler = async (event) => {
          event.response.answerCorrect = event.request.privateChallengeParameters.answer === event.request.challengeAnswer;
          return event;
        };
        """;

    async Task<(string PoolId, string ClientId, string Username)> CustomAuthPool()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "DefineAuthChallenge", DefineChallenge);
        await server.PutInline(poolId, "CreateAuthChallenge", CreateChallenge);
        await server.PutInline(poolId, "VerifyAuthChallengeResponse", VerifyChallenge);
        return (poolId, clientId, await ConfirmedUser(poolId));
    }

    [Fact]
    public async Task Custom_auth_completes_with_the_right_answer_after_a_wrong_one()
    {
        var (poolId, clientId, username) = await CustomAuthPool();
        var start = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH", AuthParameters = new() { ["USERNAME"] = username },
        });
        Assert.Equal("CUSTOM_CHALLENGE", start.ChallengeName);
        Assert.Equal("What is 2 + 1?", start.ChallengeParameters!["question"]);
        Assert.Equal(username, start.ChallengeParameters["USERNAME"]);
        Assert.False(start.ChallengeParameters.ContainsKey("answer"));

        var wrong = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = start.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "4" },
        });
        Assert.Equal("CUSTOM_CHALLENGE", wrong.ChallengeName);
        Assert.Equal("What is 2 + 2?", wrong.ChallengeParameters!["question"]);

        var right = await server.Admin.Send(new AdminRespondToAuthChallengeRequest
        {
            UserPoolId = poolId, ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = wrong.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "4" },
        });
        Assert.NotNull(right.AuthenticationResult?.IdToken);
        Assert.Equal(username, Claims(right.AuthenticationResult!.IdToken!)["cognito:username"]!.ToString());

        // The define trigger saw each round with its result and metadata; the answers stay out of the log.
        var defines = await server.Invocations(poolId, "DefineAuthChallenge");
        Assert.Equal(3, defines.Count);
        var last = JsonNode.Parse(defines[0].Event!)!["request"]!["session"]!.AsArray();
        Assert.Equal([false, true], last.Select(s => (bool)s!["challengeResult"]!));
        Assert.Equal("ROUND-2", last[1]!["challengeMetadata"]!.ToString());
        var verify = (await server.Invocations(poolId, "VerifyAuthChallengeResponse"))[0];
        Assert.Equal("***", JsonNode.Parse(verify.Event!)!["request"]!["challengeAnswer"]!.ToString());
        Assert.Null(JsonNode.Parse(verify.Event!)!["request"]!["privateChallengeParameters"]!["answer"]);
    }

    const string DefineWithPassword = """
        exports.handler = async (event) => {
          const session = event.request.session;
          const last = session[session.length - 1];
          event.response.issueTokens = false;
          event.response.failAuthentication = false;
          if (session.length === 1 && last.challengeName === "SRP_A") event.response.challengeName = "PASSWORD_VERIFIER";
          else if (last.challengeName === "PASSWORD_VERIFIER" && last.challengeResult) event.response.challengeName = "CUSTOM_CHALLENGE";
          else if (last.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult) event.response.issueTokens = true;
          else event.response.failAuthentication = true;
          return event;
        };
        """;

    [Fact]
    public async Task Custom_auth_started_with_SRP_A_proves_the_password_first_and_then_asks_the_custom_challenge()
    {
        var (poolId, clientId, username) = await CustomAuthPool();
        await server.PutInline(poolId, "DefineAuthChallenge", DefineWithPassword);
        var srp = new global::Portal.Tests.Auth.SrpClient(poolId);
        Task<InitiateAuthResponse> Start() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH",
            AuthParameters = new() { ["USERNAME"] = username, ["SRP_A"] = srp.SrpA, ["CHALLENGE_NAME"] = "SRP_A" },
        });
        var verifier = await Start();
        Assert.Equal("PASSWORD_VERIFIER", verifier.ChallengeName);

        var custom = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "PASSWORD_VERIFIER", Session = verifier.Session,
            ChallengeResponses = srp.Answer(verifier.ChallengeParameters!, Password, DateTimeOffset.UtcNow),
        });
        Assert.Equal("CUSTOM_CHALLENGE", custom.ChallengeName);
        Assert.Equal("What is 2 + 3?", custom.ChallengeParameters!["question"]);
        var signedIn = await server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = custom.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "5" },
        });
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        var last = JsonNode.Parse((await server.Invocations(poolId, "DefineAuthChallenge"))[0].Event!)!["request"]!["session"]!.AsArray();
        Assert.Equal(["SRP_A", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"], last.Select(r => r!["challengeName"]!.ToString()));

        // A wrong password ends the flow before any custom challenge.
        var again = await Start();
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "PASSWORD_VERIFIER", Session = again.Session,
            ChallengeResponses = srp.Answer(again.ChallengeParameters!, "Wrong-Passw0rd", DateTimeOffset.UtcNow),
        }));
    }

    [Fact]
    public async Task Custom_auth_fails_after_three_wrong_answers_and_a_session_answers_once()
    {
        var (_, clientId, username) = await CustomAuthPool();
        var step = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH", AuthParameters = new() { ["USERNAME"] = username },
        });
        var first = step.Session;
        for (var round = 1; round <= 2; round++)
        {
            var next = await server.Anonymous.Send(new RespondToAuthChallengeRequest
            {
                ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = step.Session,
                ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "wrong" },
            });
            Assert.Equal("CUSTOM_CHALLENGE", next.ChallengeName);
            step = new InitiateAuthResponse { Session = next.Session };
        }
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = step.Session,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "wrong" },
        }));
        Assert.Equal("Incorrect username or password.", e.Message);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new RespondToAuthChallengeRequest
        {
            ClientId = clientId, ChallengeName = "CUSTOM_CHALLENGE", Session = first,
            ChallengeResponses = new() { ["USERNAME"] = username, ["ANSWER"] = "3" },
        }));
    }

    [Fact]
    public async Task Custom_auth_without_a_define_trigger_is_refused_as_cognito_does()
    {
        var (_, clientId) = await server.CreatePool();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "CUSTOM_AUTH", AuthParameters = new() { ["USERNAME"] = "nobody" },
        }));
        Assert.Equal("Custom auth lambda trigger is not configured for the user pool.", e.Message);
    }

    // ---- custom message ----

    [Fact]
    public async Task Custom_message_changes_the_delivered_sign_up_email_and_the_invitation()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "CustomMessage", """
            exports.handler = async (event) => {
              if (event.triggerSource === "CustomMessage_SignUp") {
                event.response.emailSubject = "Welcome to Acme";
                event.response.emailMessage = "Hello " + event.request.userAttributes.name + ", your Acme code is " + event.request.codeParameter + ".";
              }
              if (event.triggerSource === "CustomMessage_AdminCreateUser") {
                event.response.emailSubject = "Your Acme account";
                event.response.emailMessage = "Sign in as " + event.request.usernameParameter + " with " + event.request.codeParameter;
              }
              return event;
            };
            """);
        var username = TriggerServer.Unique("cm");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password,
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "name", Value = "Ada" }],
        });
        var mail = await server.Mail.LatestTo(email);
        Assert.Equal("Welcome to Acme", mail.Subject);
        Assert.Matches(@"^Hello Ada, your Acme code is \d{6}\.$", mail.TextBody?.Trim());
        var outbox = await server.Db(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Destination == email));
        Assert.Equal("Welcome to Acme", outbox.Subject);
        Assert.StartsWith("Hello Ada, your Acme code is ", outbox.Body);
        // The code in the custom message confirms the account.
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email) });

        var invited = TriggerServer.Unique("inv");
        var invitedEmail = $"{invited}@example.com";
        await server.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = invited, TemporaryPassword = "Temp-Passw0rd", DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new() { Name = "email", Value = invitedEmail }],
        });
        var invitation = await server.Mail.LatestTo(invitedEmail);
        Assert.Equal("Your Acme account", invitation.Subject);
        Assert.Equal($"Sign in as {invited} with Temp-Passw0rd", invitation.TextBody?.Trim());
        var logged = (await server.Invocations(poolId, "CustomMessage")).Single(i => i.TriggerSource == "CustomMessage_AdminCreateUser");
        Assert.DoesNotContain("Temp-Passw0rd", logged.Event + logged.Response);
    }

    [Fact]
    public async Task Custom_message_failing_refuses_forgot_password_and_sends_nothing()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = await ConfirmedUser(poolId);
        await server.PutInline(poolId, "CustomMessage", "exports.handler = (event, context, callback) => callback(new Error('template store down'));");
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() =>
            server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
        Assert.Equal("CustomMessage failed with error template store down.", e.Message);
        Assert.Equal(0, await server.Db(db => db.Outbox.CountAsync(m => m.UserPoolId == poolId)));
        Assert.Equal("CustomMessage_ForgotPassword", Assert.Single(await server.Invocations(poolId, "CustomMessage")).TriggerSource);
    }

    // ---- confirmation and authentication ----

    [Fact]
    public async Task Post_confirmation_webhook_receives_the_confirmed_user()
    {
        var (poolId, clientId) = await server.CreatePool();
        var name = TriggerServer.Unique("pc");
        var url = server.Functions.Webhook(name, "post-confirmation-secret", ev => ev);
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = url, Secret = "post-confirmation-secret",
        });
        var username = TriggerServer.Unique("pcu");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        Assert.Empty(server.Functions.CallsOf(name));
        await server.Anonymous.Send(new ConfirmSignUpRequest
        {
            ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email),
            ClientMetadata = new() { ["campaign"] = "spring" },
        });

        var call = Assert.Single(server.Functions.CallsOf(name));
        Assert.Equal("PostConfirmation_ConfirmSignUp", call.Event["triggerSource"]!.ToString());
        Assert.Equal(username, call.Event["userName"]!.ToString());
        Assert.Equal(email, call.Event["request"]!["userAttributes"]!["email"]!.ToString());
        Assert.Equal("true", call.Event["request"]!["userAttributes"]!["email_verified"]!.ToString());
        Assert.Equal("spring", call.Event["request"]!["clientMetadata"]!["campaign"]!.ToString());
        Assert.Equal(clientId, call.Event["callerContext"]!["clientId"]!.ToString());
        Assert.Equal("CONFIRMED", (await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username })).UserStatus);
    }

    [Fact]
    public async Task Post_confirmation_webhook_calling_back_into_the_API_to_add_the_user_to_a_group_completes()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.Admin.Send(new CreateGroupRequest { UserPoolId = poolId, GroupName = "members" });
        var name = TriggerServer.Unique("pcg");
        var added = new TaskCompletionSource<AdminAddUserToGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        // The function does what a CRM hook does: it writes through Portal's API (SigV4-signed) while Portal waits for it.
        var url = server.Functions.Webhook(name, "post-confirmation-group-secret", async ev =>
        {
            try
            {
                added.SetResult(await server.Admin.Send(new AdminAddUserToGroupRequest
                {
                    UserPoolId = ev["userPoolId"]!.ToString(), Username = ev["userName"]!.ToString(), GroupName = "members",
                }));
            }
            catch (Exception e)
            {
                added.SetException(e);
                throw;
            }
            return ev;
        });
        await server.Admin.Send(new PutTriggerFunctionRequest
        {
            UserPoolId = poolId, Trigger = "PostConfirmation", Kind = TriggerTargetKinds.Webhook, Url = url, Secret = "post-confirmation-group-secret",
        });
        var username = TriggerServer.Unique("pcgu");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });

        // Run inside the confirmation's transaction, the hook's write waited for its lock until the trigger timed out.
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email) });

        Assert.True(added.Task.IsCompletedSuccessfully);
        Assert.Equal("CONFIRMED", (await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username })).UserStatus);
        var groups = await server.Admin.Send(new AdminListGroupsForUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal(["members"], groups.Groups!.Select(g => g.GroupName!));
        Assert.Equal("Succeeded", Assert.Single(await server.Invocations(poolId, "PostConfirmation")).Outcome);
    }

    [Fact]
    public async Task Post_confirmation_failing_answers_its_error_and_the_user_stays_confirmed()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PostConfirmation", "exports.handler = async () => { throw new Error('CRM unavailable'); };");
        var username = TriggerServer.Unique("pcf");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        var code = await server.Mail.CodeTo(email);
        var confirm = new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code };
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(confirm));
        Assert.Equal("PostConfirmation failed with error CRM unavailable.", e.Message);

        // As in Cognito, the confirmation was made before the function ran and stays: the address is verified, the
        // code spent, and the user signs in.
        var user = await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username });
        Assert.Equal("CONFIRMED", user.UserStatus);
        Assert.Equal("true", user.UserAttributes!.Single(a => a.Name == "email_verified").Value);
        var again = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(confirm));
        Assert.Equal("User cannot be confirmed. Current status is CONFIRMED", again.Message);
        Assert.NotNull((await SignIn(clientId, username)).AuthenticationResult?.IdToken);
        Assert.Equal("Failed", Assert.Single(await server.Invocations(poolId, "PostConfirmation")).Outcome);
    }

    [Fact]
    public async Task Post_confirmation_failing_after_an_admin_confirmation_or_a_password_reset_keeps_what_was_done()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = TriggerServer.Unique("pca");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        await server.Mail.CodeTo(email);
        await server.PutInline(poolId, "PostConfirmation", "exports.handler = async () => { throw new Error('CRM unavailable'); };");

        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() =>
            server.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = poolId, Username = username }));
        Assert.Equal("PostConfirmation failed with error CRM unavailable.", e.Message);
        Assert.Equal("CONFIRMED", (await server.Admin.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = username })).UserStatus);

        // An administrator's confirmation verifies no address: the reset needs one.
        await server.Admin.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = poolId, Username = username, UserAttributes = [new() { Name = "email_verified", Value = "true" }],
        });
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        const string NewPassword = "N3w-Passw0rd!";
        var code = await server.Mail.CodeTo(email, count: 2);
        e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Anonymous.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = clientId, Username = username, ConfirmationCode = code, Password = NewPassword,
        }));
        Assert.Equal("PostConfirmation failed with error CRM unavailable.", e.Message);
        Assert.NotNull((await SignIn(clientId, username, NewPassword)).AuthenticationResult?.IdToken);
        var logged = await server.Invocations(poolId, "PostConfirmation");
        Assert.Equal(["PostConfirmation_ConfirmForgotPassword", "PostConfirmation_ConfirmSignUp"], logged.Select(i => i.TriggerSource!));
    }

    [Fact]
    public async Task A_trigger_failing_after_the_sign_in_wrote_rolls_the_write_back()
    {
        var (poolId, clientId) = await server.CreatePool();
        var username = await ConfirmedUser(poolId);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, "Wrong-pass1"));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, "Wrong-pass2"));
        await server.PutInline(poolId, "PreTokenGeneration", "exports.handler = async () => { throw new Error('claims store down'); };");

        // The whole sign-in forgets the two failures (a write to the user) before the tokens' trigger runs; the trigger
        // fails, the sign-in fails, and the failures are still counted.
        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => SignIn(clientId, username));
        Assert.Equal("PreTokenGeneration failed with error claims store down.", e.Message);
        Assert.Equal(2, await server.Db(db => db.Users.Where(u => u.UserPoolId == poolId && u.Username == username).Select(u => u.FailedSignIns).SingleAsync()));
    }

    [Fact]
    public async Task Pre_authentication_on_lambda_can_deny_the_sign_in()
    {
        var (poolId, clientId) = await server.CreatePool();
        var name = TriggerServer.Unique("pa");
        var arn = server.Functions.Lambda(name, ev =>
        {
            if (ev["request"]!["userAttributes"]!["email"]!.ToString().StartsWith("blocked", StringComparison.Ordinal))
                throw new InvalidOperationException("This account is suspended");
            return ev;
        });
        // Set the way AWS tooling sets it: UpdateUserPool with a LambdaConfig ARN.
        await server.Admin.Send(new UpdateUserPoolRequest { UserPoolId = poolId, AutoVerifiedAttributes = ["email"], LambdaConfig = new() { PreAuthentication = arn } });
        var blocked = await ConfirmedUser(poolId, $"blocked-{Guid.NewGuid():n}@example.com");
        var allowed = await ConfirmedUser(poolId);

        var e = await Assert.ThrowsAsync<UserLambdaValidationException>(() => SignIn(clientId, blocked));
        Assert.Equal("PreAuthentication failed with error This account is suspended.", e.Message);
        Assert.NotNull((await SignIn(clientId, allowed)).AuthenticationResult);
        var calls = server.Functions.CallsOf(name);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("PreAuthentication_Authentication", c.Event["triggerSource"]!.ToString()));
        var logged = await server.Invocations(poolId, "PreAuthentication");
        Assert.Equal(["Succeeded", "Failed"], logged.Select(i => i.Outcome!));
        Assert.Equal(arn, logged[0].Target);
    }

    [Fact]
    public async Task Post_authentication_runs_after_a_successful_sign_in_only()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PostAuthentication", "exports.handler = async (event) => { console.info('signed in', event.userName); return event; };");
        var username = await ConfirmedUser(poolId);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => SignIn(clientId, username, "Wrong-pass1"));
        Assert.Empty(await server.Invocations(poolId, "PostAuthentication"));
        await SignIn(clientId, username);
        var logged = Assert.Single(await server.Invocations(poolId, "PostAuthentication"));
        Assert.Equal($"INFO\tsigned in {username}\n", logged.Logs);
    }
}
