using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Auth.Operations;

sealed class RespondToAuthChallenge(SignIn signIn, AuthEvents events) : IOperation<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>
{
    public async Task<RespondToAuthChallengeResponse> Handle(RespondToAuthChallengeRequest request, CancellationToken ct)
    {
        events.From(request.UserContextData);
        var step = await signIn.Respond(null, request.ClientId, request.ChallengeName!, request.Session, request.ChallengeResponses, admin: false, ct, request.ClientMetadata);
        return new RespondToAuthChallengeResponse
        {
            ChallengeName = step.ChallengeName, Session = step.Session, ChallengeParameters = step.ChallengeParameters,
            AuthenticationResult = step.AuthenticationResult,
        };
    }
}
