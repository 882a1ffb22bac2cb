using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Federation;
using Portal.Server.HostedUi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>A challenge's Session and a federation state answer once, however many answers race for them.</summary>
[Collection(ServerCollection.Name)]
public sealed class SingleUseTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    [Fact]
    public async Task A_session_raced_by_parallel_answers_signs_in_exactly_once_and_the_others_hear_invalid_session()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "invited", permanent: false);
        var challenge = await kit.PasswordSignIn(app, "invited");
        Assert.Equal("NEW_PASSWORD_REQUIRED", challenge.ChallengeName);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                return (Result: (RespondToAuthChallengeResponse?)await kit.Anonymous.Send(new RespondToAuthChallengeRequest
                {
                    ClientId = app.ClientId, ChallengeName = "NEW_PASSWORD_REQUIRED", Session = challenge.Session,
                    ChallengeResponses = new() { ["USERNAME"] = "invited", ["NEW_PASSWORD"] = "New-Passw0rd!x" },
                }), Error: (CognitoException?)null);
            }
            catch (CognitoException e)
            {
                return (Result: null, Error: e);
            }
        }));
        Assert.Single(answers, a => a.Result?.AuthenticationResult?.AccessToken is not null);
        Assert.All(answers.Where(a => a.Error is not null), a =>
        {
            Assert.IsType<NotAuthorizedException>(a.Error);
            Assert.StartsWith("Invalid session for the user", a.Error!.Message);
        });
    }

    [Fact]
    public async Task A_federation_state_raced_by_parallel_provider_answers_is_taken_exactly_once()
    {
        string state;
        var started = new DefaultHttpContext();
        await using (var scope = server.Services.CreateAsyncScope())
            state = scope.ServiceProvider.GetRequiredService<FederationRequests>().Bind(started, FederationRequest.From("us-east-1_Race00000", "race",
                "CorpIdP", new OAuthParameters { ClientId = "client", RedirectUri = "https://app.example/cb" }, DateTimeOffset.UtcNow), postBack: false);
        // The provider's answers all come back to the browser that started the sign-in (its binding cookie).
        var cookie = started.Response.Headers.SetCookie.ToString().Split(';')[0];
        var taken = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var scope = server.Services.CreateAsyncScope();
            var browser = new DefaultHttpContext();
            browser.Request.Headers.Cookie = cookie;
            return await scope.ServiceProvider.GetRequiredService<FederationRequests>().Take(browser, state, CancellationToken.None);
        }));
        Assert.Single(taken, t => t.Request is not null);
        Assert.All(taken.Where(t => t.Request is null), t => Assert.Equal("the state was already used", t.Problem));
    }
}
