using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>
/// The pool's MFA: OFF, OPTIONAL or ON, and the factors it offers. A factor the request leaves out is turned off, as
/// Cognito's SetUserPoolMfaConfig does; SMS MFA needs an SMS configuration (given or the pool's); MFA ON or OPTIONAL needs a
/// factor.
/// </summary>
sealed class SetUserPoolMfaConfig(UserPoolStore pools, Passkeys.Passkeys passkeys, TimeProvider clock) : IOperation<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>
{
    public async Task<SetUserPoolMfaConfigResponse> Handle(SetUserPoolMfaConfigRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var mode = request.MfaConfiguration ?? pool.Settings.MfaConfiguration ?? "OFF";
        var smsConfiguration = request.SmsMfaConfiguration?.SmsConfiguration ?? pool.Settings.SmsConfiguration;
        if (request.SmsMfaConfiguration is not null && smsConfiguration?.SnsCallerArn is null)
            throw new InvalidParameterException("SMS MFA needs an SmsConfiguration with an SnsCallerArn.", "smsMfaConfiguration.smsConfiguration.snsCallerArn");
        var totp = request.SoftwareTokenMfaConfiguration?.Enabled == true;
        if (mode != "OFF" && request.SmsMfaConfiguration is null && !totp && request.EmailMfaConfiguration is null)
            throw new InvalidParameterException("Invalid MFA configuration given, can't turn off all MFAs when MFA is required or optional.", "mfaConfiguration");
        if (request.WebAuthnConfiguration?.FactorConfiguration == Passkeys.Passkeys.MultiFactorWithUserVerification && pool.Settings.UserPoolTier == "LITE")
            throw new FeatureUnavailableInTierException("Passkeys as MFA (MULTI_FACTOR_WITH_USER_VERIFICATION) need the Essentials or Plus feature plan.");
        await passkeys.CheckRelyingParty(pool, request.WebAuthnConfiguration?.RelyingPartyId, ct);

        var settings = pool.Settings with
        {
            MfaConfiguration = mode,
            SmsConfiguration = smsConfiguration,
            SmsAuthenticationMessage = request.SmsMfaConfiguration?.SmsAuthenticationMessage ?? pool.Settings.SmsAuthenticationMessage,
        };
        UserPoolStore.Write(pool.Row, settings);
        // The factors live beside the UserPoolType members of the settings document.
        var document = JsonNode.Parse(pool.Row.Settings)!.AsObject();
        document["SmsMfaEnabled"] = request.SmsMfaConfiguration is not null;
        document["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = totp };
        document["EmailMfaConfiguration"] = request.EmailMfaConfiguration is { } email
            ? JsonSerializer.SerializeToNode(email, CognitoJson.Options)
            : null;
        if (request.EmailMfaConfiguration is null) document.Remove("EmailMfaConfiguration");
        // Passkey settings are kept when the request leaves them out (they are not an MFA factor to turn off).
        if (request.WebAuthnConfiguration is { } webAuthn) document["WebAuthnConfiguration"] = JsonSerializer.SerializeToNode(webAuthn, CognitoJson.Options);
        pool.Row.Settings = document.ToJsonString(CognitoJson.Options);
        pool.Row.LastModifiedAt = clock.GetUtcNow();
        await pools.Save(ct);

        var answer = GetUserPoolMfaConfig.Describe(new UserPoolStore.Pool(pool.Row, UserPoolStore.Read(pool.Row)));
        return new SetUserPoolMfaConfigResponse
        {
            MfaConfiguration = answer.MfaConfiguration, SmsMfaConfiguration = answer.SmsMfaConfiguration,
            SoftwareTokenMfaConfiguration = answer.SoftwareTokenMfaConfiguration, EmailMfaConfiguration = answer.EmailMfaConfiguration,
            WebAuthnConfiguration = answer.WebAuthnConfiguration,
        };
    }
}

sealed class GetUserPoolMfaConfig(UserPoolStore pools) : IOperation<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>
{
    public async Task<GetUserPoolMfaConfigResponse> Handle(GetUserPoolMfaConfigRequest request, CancellationToken ct) =>
        Describe(await pools.Get(request.UserPoolId, ct));

    public static GetUserPoolMfaConfigResponse Describe(UserPoolStore.Pool pool)
    {
        var mfa = Mfa.Of(pool);
        return new GetUserPoolMfaConfigResponse
        {
            MfaConfiguration = mfa.Mode,
            SmsMfaConfiguration = mfa.Sms
                ? new SmsMfaConfigType { SmsAuthenticationMessage = pool.Settings.SmsAuthenticationMessage, SmsConfiguration = pool.Settings.SmsConfiguration }
                : null,
            SoftwareTokenMfaConfiguration = new SoftwareTokenMfaConfigType { Enabled = mfa.SoftwareToken },
            EmailMfaConfiguration = mfa.EmailMessage,
            WebAuthnConfiguration = Passkeys.Passkeys.Described(pool),
        };
    }
}
