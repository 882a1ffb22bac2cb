using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Auth.Operations;

sealed class InitiateAuth(SignIn signIn, AuthEvents events) : IOperation<InitiateAuthRequest, InitiateAuthResponse>
{
    public async Task<InitiateAuthResponse> Handle(InitiateAuthRequest request, CancellationToken ct)
    {
        events.From(request.UserContextData);
        var step = await signIn.Initiate(null, request.ClientId, request.AuthFlow!, request.AuthParameters, admin: false, ct, request.ClientMetadata);
        return new InitiateAuthResponse
        {
            ChallengeName = step.ChallengeName, Session = step.Session, ChallengeParameters = step.ChallengeParameters,
            AuthenticationResult = step.AuthenticationResult, AvailableChallenges = step.AvailableChallenges,
        };
    }
}
