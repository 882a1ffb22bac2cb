using System.Text.Json;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>The state of an MFA step's session (SMS_MFA, SOFTWARE_TOKEN_MFA, email MFA, SELECT_MFA_TYPE, MFA_SETUP).</summary>
sealed record MfaState(string Sub, DateTimeOffset AuthTime, string TokenSource, SignInKind Kind, List<string>? Choices = null,
    string? PendingSecret = null, bool Verified = false, int WrongCodes = 0)
{
    /// <summary>What adaptive authentication found when the password was proven, for the event the sign-in ends with.</summary>
    public ThreatProtection.RiskSnapshot? Risk { get; init; }
}

/// <summary>The password (or a new one) is proven: the pool's MFA decides whether a second factor comes before the
/// tokens, and which: a code sent by SMS or email, an authenticator's code, a choice, or the setup of an authenticator.</summary>
public sealed class SecondFactorStep(PortalDb db, AuthSessions sessions, MfaCodes codes, SignInCompletion completion, ThreatProtection.RiskRecord risk,
    DeviceStep device)
{
    /// <summary>An email MFA session, told apart from a passwordless EMAIL_OTP one (both answer "EMAIL_OTP").</summary>
    public const string MfaEmailSession = "MFA_EMAIL_OTP";

    /// <summary>The session's challenge for an MFA factor.</summary>
    public static string SessionChallenge(string factor) => factor == Mfa.Email ? MfaEmailSession : factor;

    public async Task<AuthStep> Begin(SignInContext ctx, UserRow user, DateTimeOffset authTime, CancellationToken ct,
        string tokenSource = "TokenGeneration_Authentication", SignInKind kind = SignInKind.Password, string? riskFactor = null)
    {
        // A remembered device proves itself first (DEVICE_SRP_AUTH), and may then stand in for the second factor.
        if (await device.Challenge(ctx, user, new DeviceAuthState(user.Sub, authTime, tokenSource, kind, riskFactor), ct) is { } deviceStep)
            return deviceStep;
        var state = new MfaState(user.Sub, authTime, tokenSource, kind)
        {
            Risk = risk.DeviceKey is null && risk.Network is null && risk.RiskLevel is null ? null : risk.Snapshot(),
        };
        var step = Mfa.Decide(Mfa.Of(ctx.Pool), user);
        // The sign-in's risk asks for MFA the pool's settings would not (adaptive authentication): the user's factor.
        if (riskFactor is not null && step is not (Mfa.Challenge or Mfa.Select)) step = new Mfa.Challenge(riskFactor);
        switch (step)
        {
            case Mfa.Challenge c:
                return await Start(ctx, user, c.Factor, state, ct);
            case Mfa.Select s:
            {
                var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, ChallengeName.SelectMfaType,
                    state with { Choices = s.Factors }, ctx.SessionMinutes, ct);
                await db.SaveChangesAsync(ct);
                return Steps.Challenge(ChallengeName.SelectMfaType, session, new()
                {
                    ["MFAS_CAN_CHOOSE"] = JsonSerializer.Serialize(s.Factors), ["USER_ID_FOR_SRP"] = user.Username,
                });
            }
            case Mfa.Setup s:
            {
                if (s.Factors.Count == 0)
                {
                    await db.SaveChangesAsync(ct);
                    throw new InvalidUserPoolConfigurationException(
                        "The user pool requires MFA, but the user has no phone number or email for its MFA factors and authenticator apps are not enabled.");
                }
                var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, ChallengeName.MfaSetup, state, ctx.SessionMinutes, ct);
                await db.SaveChangesAsync(ct);
                return Steps.Challenge(ChallengeName.MfaSetup, session, new()
                {
                    ["MFAS_CAN_SETUP"] = JsonSerializer.Serialize(s.Factors), ["USER_ID_FOR_SRP"] = user.Username,
                });
            }
            default:
                return await completion.Complete(ctx, user, authTime, ct, tokenSource, kind);
        }
    }

    /// <summary>The challenge of one factor: an authenticator's code, or a code sent now by SMS or email.</summary>
    internal async Task<AuthStep> Start(SignInContext ctx, UserRow user, string factor, MfaState state, CancellationToken ct)
    {
        if (factor == Mfa.SoftwareToken)
        {
            var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, factor, state, ctx.SessionMinutes, ct);
            await db.SaveChangesAsync(ct);
            return Steps.Challenge(factor, session, new()
            {
                ["FRIENDLY_DEVICE_NAME"] = Mfa.Read(user).SoftwareTokenDeviceName ?? "Authenticator app", ["USER_ID_FOR_SRP"] = user.Username,
            });
        }
        var delivery = await codes.Send(ctx, user, factor, passwordless: false, ct);
        var challengeSession = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, SessionChallenge(factor), state, ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        await codes.Deliver(ct);
        return Steps.Challenge(factor, challengeSession, new()
        {
            ["CODE_DELIVERY_DELIVERY_MEDIUM"] = delivery.DeliveryMedium!, ["CODE_DELIVERY_DESTINATION"] = delivery.Destination!,
            ["USER_ID_FOR_SRP"] = user.Username,
        });
    }
}
