using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;

namespace Portal.Server.HostedUi.Operations;

/// <summary>What the hosted pages ask the sign-in engine (server-internal: not an operation of the wire).</summary>
public enum HostedAuthAction { Initiate, Respond, AssociateSoftwareToken, VerifySoftwareToken }

/// <summary>A hosted page's call into the one sign-in engine, through the dispatcher like every operation: start a flow,
/// answer a challenge, or add an authenticator during MFA_SETUP. The engine runs it as the pool's own sign-in page
/// (<see cref="SignInContext.Hosted"/>).</summary>
public sealed class HostedAuthRequest : ICognitoRequest<HostedAuthResponse>
{
    public HostedAuthAction Action { get; init; }
    public string ClientId { get; init; } = "";
    public string? AuthFlow { get; init; }
    public string? ChallengeName { get; init; }
    public string? Session { get; init; }
    public Dictionary<string, string> Parameters { get; init; } = [];
}

public sealed class HostedAuthResponse
{
    public string? ChallengeName { get; init; }
    public string? Session { get; init; }
    public Dictionary<string, string> ChallengeParameters { get; init; } = [];
    public List<string>? AvailableChallenges { get; init; }
    /// <summary>The user who signed in (the hosted UI then issues its authorization code), and when.</summary>
    public string? SignedInSub { get; init; }
    public DateTimeOffset AuthTime { get; init; }
    /// <summary>The browser this sign-in remembered as a device (its cookie's value).</summary>
    public string? BrowserDevice { get; init; }
    /// <summary>AssociateSoftwareToken: the authenticator's new secret.</summary>
    public string? SecretCode { get; init; }
}

sealed class HostedAuth(SignIn signIn) : IOperation<HostedAuthRequest, HostedAuthResponse>
{
    public async Task<HostedAuthResponse> Handle(HostedAuthRequest request, CancellationToken ct)
    {
        switch (request.Action)
        {
            case HostedAuthAction.AssociateSoftwareToken:
            {
                var (secret, session) = await signIn.AssociateInSetup(request.Session, ct);
                return new HostedAuthResponse { ChallengeName = Auth.ChallengeName.MfaSetup, Session = session, SecretCode = secret };
            }
            case HostedAuthAction.VerifySoftwareToken:
            {
                var session = await signIn.VerifyInSetup(request.Session, request.Parameters.GetValueOrDefault("USER_CODE"),
                    request.Parameters.GetValueOrDefault("DEVICE_NAME"), ct);
                return new HostedAuthResponse { ChallengeName = Auth.ChallengeName.MfaSetup, Session = session };
            }
        }
        var step = request.Action == HostedAuthAction.Initiate
            ? await signIn.Initiate(null, request.ClientId, request.AuthFlow!, request.Parameters, admin: false, ct, hosted: true)
            : await signIn.Respond(null, request.ClientId, request.ChallengeName!, request.Session, request.Parameters, admin: false, ct, hosted: true);
        return new HostedAuthResponse
        {
            ChallengeName = step.ChallengeName, Session = step.Session, ChallengeParameters = step.ChallengeParameters,
            AvailableChallenges = step.AvailableChallenges, SignedInSub = step.SignedIn?.Sub, AuthTime = step.AuthTime,
            BrowserDevice = step.BrowserDevice,
        };
    }
}
