using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The signed-in user's MFA settings and the USER_AUTH first factors they can use.</summary>
sealed class GetUserAuthFactors(SignedInUsers signedIn, Passkeys.Passkeys passkeys)
    : IOperation<GetUserAuthFactorsRequest, GetUserAuthFactorsResponse>
{
    public async Task<GetUserAuthFactorsResponse> Handle(GetUserAuthFactorsRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var (enabled, preferred) = UserStore.Mfa(me.User);
        var factors = FirstFactorStep.Available(me.Pool, me.User, await passkeys.Has(me.User, ct))
            .Where(f => f != ChallengeName.PasswordSrp && (f != ChallengeName.Password || me.User.PasswordHash is not null)).ToList();
        return new GetUserAuthFactorsResponse
        {
            Username = me.User.Username, PreferredMfaSetting = preferred,
            UserMFASettingList = enabled.Count > 0 ? enabled : null, ConfiguredUserAuthFactors = factors,
        };
    }
}
