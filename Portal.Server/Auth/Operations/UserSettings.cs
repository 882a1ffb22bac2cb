using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The legacy MFA settings (SetUserSettings, AdminSetUserSettings): a list of MFAOptions where only SMS to
/// phone_number exists. A non-empty list turns SMS MFA on, an empty one turns it off; the newer factors are untouched.</summary>
static class LegacyMfaOptions
{
    public static SMSMfaSettingsType Sms(List<MFAOptionType> options)
    {
        foreach (var o in options)
        {
            if (o.DeliveryMedium != "SMS")
                throw new InvalidParameterException("Only SMS is supported as an MFA delivery medium in MFAOptions.");
            if (o.AttributeName is not null && o.AttributeName != "phone_number")
                throw new InvalidParameterException("SMS MFA can only be delivered to the phone_number attribute.");
        }
        return new SMSMfaSettingsType { Enabled = options.Count > 0 };
    }
}

sealed class SetUserSettings(SignedInUsers signedIn, PortalDb db, TimeProvider clock)
    : IOperation<SetUserSettingsRequest, SetUserSettingsResponse>
{
    public async Task<SetUserSettingsResponse> Handle(SetUserSettingsRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        Mfa.SetPreference(Mfa.Of(me.Pool), me.User, LegacyMfaOptions.Sms(request.MFAOptions!), null, null);
        me.User.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SetUserSettingsResponse();
    }
}

sealed class AdminSetUserSettings(UserPoolStore pools, UserStore users, PortalDb db, TimeProvider clock)
    : IOperation<AdminSetUserSettingsRequest, AdminSetUserSettingsResponse>
{
    public async Task<AdminSetUserSettingsResponse> Handle(AdminSetUserSettingsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        Mfa.SetPreference(Mfa.Of(pool), user, LegacyMfaOptions.Sms(request.MFAOptions!), null, null);
        user.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AdminSetUserSettingsResponse();
    }
}
