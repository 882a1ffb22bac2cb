using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Auth.Operations;

sealed class AdminRespondToAuthChallenge(SignIn signIn, AuthEvents events) : IOperation<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>
{
    public async Task<AdminRespondToAuthChallengeResponse> Handle(AdminRespondToAuthChallengeRequest request, CancellationToken ct)
    {
        events.From(request.ContextData);
        var step = await signIn.Respond(request.UserPoolId, request.ClientId, request.ChallengeName!, request.Session, request.ChallengeResponses,
            admin: true, ct, request.ClientMetadata);
        return new AdminRespondToAuthChallengeResponse
        {
            ChallengeName = step.ChallengeName, Session = step.Session, ChallengeParameters = step.ChallengeParameters,
            AuthenticationResult = step.AuthenticationResult,
        };
    }
}
