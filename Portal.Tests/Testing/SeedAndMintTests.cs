using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Auth;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, speed: a seeded batch costs one password hash per distinct password and can skip triggers; a
/// minted session runs the pre token generation trigger as a sign-in does.</summary>
[Collection(TestingCollection.Name)]
public sealed class SeedAndMintTests(TestingServer server)
{
    static object User(string email, string password) =>
        new { Username = email, Password = password, Attributes = new Dictionary<string, string> { ["email"] = email } };

    Task PutInline(string poolId, string trigger, string code) => server.Cognito.Send(new PutTriggerFunctionRequest
    {
        UserPoolId = poolId, Trigger = trigger, Kind = TriggerTargetKinds.Inline, Code = code,
    });

    [Fact]
    public async Task A_batch_hashes_each_distinct_password_once_and_every_user_signs_in_with_it()
    {
        var (poolId, clientId) = await server.Pool();
        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        var before = hasher.Spent;
        var users = Enumerable.Range(0, 20).Select(i => User($"same{i}@example.com", "Same-Passw0rd!"))
            .Append(User("other@example.com", "Other-Passw0rd!")).ToArray();
        var seeded = await server.Post($"/_portal/testing/pools/{poolId}/users", new { Users = users });
        Assert.Equal(21, seeded.GetProperty("Users").GetArrayLength());
        Assert.Equal(2, hasher.Spent - before);

        foreach (var (email, password) in new[] { ("same0@example.com", "Same-Passw0rd!"), ("same19@example.com", "Same-Passw0rd!"), ("other@example.com", "Other-Passw0rd!") })
        {
            var signIn = await server.Anonymous.Send(new InitiateAuthRequest
            {
                ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = password },
            });
            Assert.NotNull(signIn.AuthenticationResult?.AccessToken);
        }
        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "other@example.com", ["PASSWORD"] = "Same-Passw0rd!" },
        }));
        Assert.Equal("Incorrect username or password.", wrong.Message);
    }

    [Fact]
    public async Task Triggers_false_skips_the_pre_sign_up_trigger_that_otherwise_refuses_the_batch()
    {
        var (poolId, _) = await server.Pool();
        await PutInline(poolId, "PreSignUp", "exports.handler = async (event) => { throw new Error('no sign-ups today'); };");

        var refused = await server.Post($"/_portal/testing/pools/{poolId}/users", new { Users = new[] { User("ann@example.com", "Seeded-Passw0rd!") } },
            HttpStatusCode.BadRequest);
        Assert.Equal("UserLambdaValidationException", refused.GetProperty("__type").GetString());
        Assert.Empty((await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);

        await server.Post($"/_portal/testing/pools/{poolId}/users", new { Users = new[] { User("ann@example.com", "Seeded-Passw0rd!") }, Triggers = false });
        var ann = await server.Cognito.Send(new AdminGetUserRequest { UserPoolId = poolId, Username = "ann@example.com" });
        Assert.Equal(UserStatus.Confirmed, ann.UserStatus);
        // Only for that batch: the next sign-up still meets the trigger.
        await Assert.ThrowsAsync<UserLambdaValidationException>(() => server.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = "bob@example.com", MessageAction = "SUPPRESS",
        }));
    }

    [Fact]
    public async Task A_minted_session_runs_the_pre_token_generation_trigger_as_a_sign_in_does()
    {
        var (poolId, clientId) = await server.Pool();
        await PutInline(poolId, "PreTokenGeneration", """
            exports.handler = async (event) => {
              event.response = { claimsOverrideDetails: { claimsToAddOrOverride: { plan: 'gold', source: event.triggerSource } } };
              return event;
            };
            """);
        await server.Post($"/_portal/testing/pools/{poolId}/users", new { Users = new[] { User("gold@example.com", "Seeded-Passw0rd!") } });

        var minted = await server.Post($"/_portal/testing/pools/{poolId}/sessions", new { Username = "gold@example.com", ClientId = clientId });
        var id = Claims(minted.GetProperty("AuthenticationResult").GetProperty("IdToken").GetString()!);
        Assert.Equal("gold", id.GetProperty("plan").GetString());
        Assert.Equal("TokenGeneration_Authentication", id.GetProperty("source").GetString());

        // The same claims as the password sign-in of the same user.
        var signIn = await server.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = clientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "gold@example.com", ["PASSWORD"] = "Seeded-Passw0rd!" },
        });
        var signedIn = Claims(signIn.AuthenticationResult!.IdToken!);
        foreach (var claim in new[] { "plan", "source", "email", "cognito:username", "aud", "iss", "token_use", "sub" })
            Assert.Equal(signedIn.GetProperty(claim).ToString(), id.GetProperty(claim).ToString());
    }

    static JsonElement Claims(string jwt)
    {
        var s = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='))).RootElement.Clone();
    }
}
