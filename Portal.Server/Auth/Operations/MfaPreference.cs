using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The signed-in user turns their MFA factors on or off and picks the preferred one.</summary>
sealed class SetUserMFAPreference(SignedInUsers signedIn, PortalDb db, TimeProvider clock)
    : IOperation<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>
{
    public async Task<SetUserMFAPreferenceResponse> Handle(SetUserMFAPreferenceRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        Mfa.SetPreference(Mfa.Of(me.Pool), me.User, request.SMSMfaSettings, request.SoftwareTokenMfaSettings, request.EmailMfaSettings);
        Passkeys.Passkeys.SetMfa(me.Pool, me.User, request.WebAuthnMfaSettings);
        me.User.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SetUserMFAPreferenceResponse();
    }
}

/// <summary>An administrator turns a user's MFA factors on or off (e.g. off, for a user who lost their authenticator).</summary>
sealed class AdminSetUserMFAPreference(UserPoolStore pools, UserStore users, PortalDb db, TimeProvider clock)
    : IOperation<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>
{
    public async Task<AdminSetUserMFAPreferenceResponse> Handle(AdminSetUserMFAPreferenceRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        Mfa.SetPreference(Mfa.Of(pool), user, request.SMSMfaSettings, request.SoftwareTokenMfaSettings, request.EmailMfaSettings);
        Passkeys.Passkeys.SetMfa(pool, user, request.WebAuthnMfaSettings);
        user.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AdminSetUserMFAPreferenceResponse();
    }
}
