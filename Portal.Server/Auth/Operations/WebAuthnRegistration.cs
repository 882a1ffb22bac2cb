using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;

namespace Portal.Server.Auth.Operations;

/// <summary>Creation options for a new passkey of the signed-in user (navigator.credentials.create takes them as they are).</summary>
sealed class StartWebAuthnRegistration(SignedInUsers signedIn, Passkeys.Passkeys passkeys)
    : IOperation<StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse>
{
    public async Task<StartWebAuthnRegistrationResponse> Handle(StartWebAuthnRegistrationRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        return new StartWebAuthnRegistrationResponse
        {
            CredentialCreationOptions = await passkeys.StartRegistration(me.Pool, me.User, me.Token.ClientId, ct),
        };
    }
}

/// <summary>The browser's answer to the creation options: the attestation is verified and the passkey stored.</summary>
sealed class CompleteWebAuthnRegistration(SignedInUsers signedIn, Passkeys.Passkeys passkeys)
    : IOperation<CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse>
{
    public async Task<CompleteWebAuthnRegistrationResponse> Handle(CompleteWebAuthnRegistrationRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        await passkeys.CompleteRegistration(me.Pool, me.User, me.Token.ClientId, request.Credential!.Value, ct);
        return new CompleteWebAuthnRegistrationResponse();
    }
}
