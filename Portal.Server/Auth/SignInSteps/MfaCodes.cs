using Portal.Client.Contract;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>
/// The one service that sends sign-in codes (SMS_MFA and email MFA after the password, EMAIL_OTP / SMS_OTP instead of
/// it) and checks the codes a user types (those, and an authenticator's TOTP).
/// </summary>
public sealed class MfaCodes(Codes codes, Messages messages, Mfa mfa, PortalDb db)
{
    /// <summary>How long a passwordless code is good for, as Cognito's: three minutes.</summary>
    public static readonly TimeSpan OtpLifetime = TimeSpan.FromMinutes(3);

    /// <summary>Issues a code for the factor and queues its message (the caller saves, then calls <see cref="Deliver"/>).</summary>
    /// <param name="passwordless">A first factor (EMAIL_OTP / SMS_OTP of USER_AUTH: 8 digits), not a second one.</param>
    public async Task<CodeDeliveryDetailsType> Send(SignInContext ctx, UserRow user, string factor, bool passwordless, CancellationToken ct)
    {
        var attribute = factor is Mfa.Sms or ChallengeName.SmsOtp ? "phone_number" : "email";
        var destination = UserStore.Attributes(user)[attribute];
        CodeDeliveryDetailsType delivery;
        if (passwordless)
        {
            var code = await codes.Issue(user, CodePurpose.SignIn(factor), OtpLifetime, ct, digits: 8);
            delivery = messages.SendAuthenticationCode(ctx.Pool, user, attribute, destination, code, ctx.ClientId, ctx.Metadata);
        }
        else
        {
            var code = await codes.Issue(user, CodePurpose.Mfa(factor), Mfa.CodeLifetime, ct);
            var message = Templates.Mfa(ctx.Pool.Settings, Mfa.Of(ctx.Pool).EmailMessage, Channels.Of(attribute), code, user.Username);
            delivery = messages.SendAuthenticationCode(ctx.Pool, user, attribute, destination, code, ctx.ClientId, ctx.Metadata, message);
        }
        await messages.Customize(ct);
        return delivery;
    }

    /// <summary>Sends the queued messages, once the step's writes are saved.</summary>
    public Task Deliver(CancellationToken ct) => messages.Deliver(ct);

    /// <summary>Whether the code is right: an authenticator's current code, or the code sent for this factor (used up when
    /// right). A sent code that is spent (expired, or out of tries) ends the sign-in session: what the step changed so far
    /// is saved and NotAuthorizedException "Invalid session for the user, session is expired." is thrown.</summary>
    public async Task<bool> Check(UserRow user, string factor, bool passwordless, string code, CancellationToken ct)
    {
        if (factor == Mfa.SoftwareToken) return mfa.VerifyUserCode(user, code);
        try
        {
            await codes.Use(user, passwordless ? CodePurpose.SignIn(factor) : CodePurpose.Mfa(factor), code, ct);
            return true;
        }
        catch (CodeMismatchException)
        {
            return false;
        }
        catch (CognitoException e) when (e is ExpiredCodeException or LimitExceededException)
        {
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException(SignInErrors.SessionExpired);
        }
    }
}
