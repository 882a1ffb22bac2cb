using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>A challenge's Session answers once, however many answers race for it.</summary>
[Collection(ServerCollection.Name)]
public sealed class SingleUseSessionTests(PortalServer server)
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
                return (Result: await kit.Anonymous.Send(new RespondToAuthChallengeRequest
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
}
