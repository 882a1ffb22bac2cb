using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Federation;

/// <summary>The one place a new federated user meets the pool's pre sign-up trigger (source PreSignUp_ExternalProvider):
/// the function may refuse the sign-up (UserLambdaValidationException, its message shown to the user) or ask for the
/// email or phone number to be marked verified.</summary>
public sealed class FederatedPreSignUp(UserTriggers triggers)
{
    public const string TriggerSource = "PreSignUp_ExternalProvider";

    public async Task Run(UserPoolStore.Pool pool, AppClientStore.Client client, string username, Dictionary<string, string> attributes,
        CancellationToken ct)
    {
        var result = await triggers.PreSignUp(pool, TriggerSource, username,
            attributes.ToDictionary(a => a.Key, a => (string?)a.Value), client.Row.ClientId, ct: ct);
        if (result.AutoVerifyEmail) attributes["email_verified"] = "true";
        if (result.AutoVerifyPhone) attributes["phone_number_verified"] = "true";
    }
}
