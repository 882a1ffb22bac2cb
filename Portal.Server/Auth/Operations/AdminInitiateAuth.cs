using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Auth.Operations;

sealed class AdminInitiateAuth(SignIn signIn, AuthEvents events) : IOperation<AdminInitiateAuthRequest, AdminInitiateAuthResponse>
{
    public async Task<AdminInitiateAuthResponse> Handle(AdminInitiateAuthRequest request, CancellationToken ct)
    {
        events.From(request.ContextData);
        var step = await signIn.Initiate(request.UserPoolId, request.ClientId, request.AuthFlow!, request.AuthParameters, admin: true, ct, request.ClientMetadata);
        return new AdminInitiateAuthResponse
        {
            ChallengeName = step.ChallengeName, Session = step.Session, ChallengeParameters = step.ChallengeParameters,
            AuthenticationResult = step.AuthenticationResult, AvailableChallenges = step.AvailableChallenges,
        };
    }
}
