using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

/// <summary>A new authenticator (TOTP) secret, for the signed-in user (AccessToken) or for the user of an MFA_SETUP
/// sign-in (Session, answered with the next session). The secret is not used until VerifySoftwareToken proves it.</summary>
sealed class AssociateSoftwareToken(SignedInUsers signedIn, SignIn signIn, Mfa mfa, PortalDb db, TimeProvider clock)
    : IOperation<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>
{
    public async Task<AssociateSoftwareTokenResponse> Handle(AssociateSoftwareTokenRequest request, CancellationToken ct)
    {
        SoftwareTokenRequests.OneOf(request.AccessToken, request.Session);
        if (request.Session is not null)
        {
            var (secret, session) = await signIn.AssociateInSetup(request.Session, ct);
            return new AssociateSoftwareTokenResponse { SecretCode = secret, Session = session };
        }
        var me = await signedIn.Get(request.AccessToken, ct);
        var (code, protectedSecret) = mfa.NewSecret();
        var settings = Mfa.Read(me.User);
        settings.PendingSoftwareTokenSecret = protectedSecret;
        Mfa.Write(me.User, settings);
        me.User.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AssociateSoftwareTokenResponse { SecretCode = code };
    }
}

/// <summary>The first code from the user's authenticator: the associated secret becomes the user's authenticator. With
/// an access token the user then turns TOTP MFA on with SetUserMFAPreference; with an MFA_SETUP session the answer's
/// session completes the sign-in.</summary>
sealed class VerifySoftwareToken(SignedInUsers signedIn, SignIn signIn, Mfa mfa, PortalDb db, TimeProvider clock)
    : IOperation<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>
{
    public async Task<VerifySoftwareTokenResponse> Handle(VerifySoftwareTokenRequest request, CancellationToken ct)
    {
        SoftwareTokenRequests.OneOf(request.AccessToken, request.Session);
        if (request.Session is not null)
            return new VerifySoftwareTokenResponse { Status = "SUCCESS", Session = await signIn.VerifyInSetup(request.Session, request.UserCode, request.FriendlyDeviceName, ct) };
        var me = await signedIn.Get(request.AccessToken, ct);
        var settings = Mfa.Read(me.User);
        if (settings.PendingSoftwareTokenSecret is null)
            throw new SoftwareTokenMFANotFoundException("Software token MFA has not been associated with the user: call AssociateSoftwareToken first.");
        var step = mfa.Match(settings.PendingSoftwareTokenSecret, request.UserCode)
                   ?? throw EnableSoftwareTokenMFAException.CodeMismatch();
        Mfa.Register(me.User, settings.PendingSoftwareTokenSecret, step, request.FriendlyDeviceName);
        me.User.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new VerifySoftwareTokenResponse { Status = "SUCCESS" };
    }
}

static class SoftwareTokenRequests
{
    public static void OneOf(string? accessToken, string? session)
    {
        if ((accessToken is null) == (session is null))
            throw new InvalidParameterException("Give either an AccessToken or a Session, not both.");
    }
}
