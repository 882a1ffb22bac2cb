using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

/// <summary>Where a sign-in stood when its remembered device was asked to prove itself: what comes after it.</summary>
sealed record DeviceAuthState(string Sub, DateTimeOffset AuthTime, string TokenSource, SignInKind Kind, string? RiskFactor);

/// <summary>The server half of one device SRP exchange (DEVICE_PASSWORD_VERIFIER's session).</summary>
sealed record DevicePasswordState(DeviceAuthState Auth, string DeviceKey, string SrpA, string PrivateB, string SrpB, string SecretBlock);

/// <summary>
/// Device authentication, as Cognito's: after the password, a sign-in that names a remembered device (DEVICE_KEY) is asked
/// DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, the SRP of the device's own secret (its verifier came with ConfirmDevice).
/// A proven device stands in for MFA when the pool's DeviceConfiguration says ChallengeRequiredOnNewDevice.
/// </summary>
public sealed class DeviceStep(PortalDb db, AuthSessions sessions, Devices devices, SignInCompletion completion)
{
    public const string SrpAuth = "DEVICE_SRP_AUTH";
    public const string PasswordVerifier = "DEVICE_PASSWORD_VERIFIER";

    /// <summary>The challenges of device authentication (they name the device themselves).</summary>
    public static readonly IReadOnlyCollection<string> Challenges = [SrpAuth, PasswordVerifier];

    /// <summary>DEVICE_SRP_AUTH when the sign-in names a remembered device of the user not yet proven; otherwise null.</summary>
    internal async Task<AuthStep?> Challenge(SignInContext ctx, UserRow user, DeviceAuthState state, CancellationToken ct)
    {
        if (ctx.DeviceProven || await devices.RememberedDevice(ctx, user, ct) is not { } device) return null;
        if (ctx.Hosted)
        {
            // The hosted UI's browser proves its device with its cookie's secret; no SRP between the page and itself.
            if (!Devices.SkipsMfa(ctx.Pool) || state.RiskFactor is not null || !devices.BrowserProven(device, ctx.BrowserSecret)) return null;
            await devices.Seen(ctx, user, ct);
            return await completion.Complete(ctx with { DeviceProven = true }, user, state.AuthTime, ct, state.TokenSource, state.Kind);
        }
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, SrpAuth, state, ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        return Steps.Challenge(SrpAuth, session, new() { ["USERNAME"] = user.Username, ["DEVICE_KEY"] = device.DeviceKey });
    }
}

/// <summary>Shared by the two device challenges: the user of the session, and the device the answer names, counted by the
/// lockout as a wrong password when it is not one of the user's confirmed devices.</summary>
public sealed class DeviceAnswers(PortalDb db, UserStore users, Devices devices, SignInLockout lockout)
{
    internal async Task<(UserRow User, DeviceRow Device)> Resolve(SignInContext ctx, string sub, IReadOnlyDictionary<string, string> r,
        string? expectedKey, CancellationToken ct)
    {
        var username = Steps.Required(r, "USERNAME");
        var deviceKey = Steps.Required(r, "DEVICE_KEY");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == sub && u.UserPoolId == ctx.Pool.Row.Id, ct)
                   ?? throw NotAuthorizedException.InvalidSession();
        if (username != user.Username && (await users.Find(ctx.Pool, username, ct))?.Sub != user.Sub) throw NotAuthorizedException.IncorrectPassword();
        if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        var device = await devices.Find(ctx.Pool.Row.Id, user.Sub, deviceKey, ct);
        if (device is not { SecretVerifier: not null } || (expectedKey is not null && expectedKey != deviceKey))
        {
            // A guessed or forgotten device counts as a wrong secret would.
            if (await lockout.Begin(user, ct) is null) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            throw Devices.NotFound();
        }
        return (user, device);
    }
}

/// <summary>DEVICE_SRP_AUTH: the device's SRP_A; the answer is the DEVICE_PASSWORD_VERIFIER challenge (SRP_B, SALT, SECRET_BLOCK).</summary>
public sealed class DeviceSrpResponder(AuthSessions sessions, DeviceAnswers answers, PortalDb db) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [DeviceStep.SrpAuth];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var srpA = Steps.Required(r, "SRP_A");
        if (!Srp.TryParseHex(srpA, out var a) || (a % Srp.N).IsZero) throw InvalidParameterException.InvalidSrpA();
        var (row, state) = await sessions.Take<DeviceAuthState>(session, ctx.ClientId, DeviceStep.SrpAuth, ct);
        var (user, device) = await answers.Resolve(ctx, state.Sub, r, null, ct);
        var (salt, verifier) = device.SecretVerifier!.Split(':') is [var s, var v] ? (s, v) : throw Devices.NotFound();
        var server = Srp.Start(verifier);
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var next = sessions.Continue(row, DeviceStep.PasswordVerifier,
            new DevicePasswordState(state, device.DeviceKey, srpA, server.PrivateB, server.SrpB, secretBlock));
        await db.SaveChangesAsync(ct);
        return Steps.Challenge(DeviceStep.PasswordVerifier, next, new()
        {
            ["SRP_B"] = server.SrpB, ["SALT"] = salt, ["SECRET_BLOCK"] = secretBlock, ["USERNAME"] = user.Username,
            ["DEVICE_KEY"] = device.DeviceKey,
        });
    }
}

/// <summary>DEVICE_PASSWORD_VERIFIER: the device's claim, counted by the lockout as a password is; a proven remembered device
/// skips MFA when the pool says so (and the sign-in's risk does not ask for it), else MFA follows as usual.</summary>
public sealed class DevicePasswordVerifierResponder(AuthSessions sessions, DeviceAnswers answers, SignInLockout lockout,
    SignInCompletion completion, SecondFactorStep secondFactor) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [DeviceStep.PasswordVerifier];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var secretBlock = Steps.Required(r, "PASSWORD_CLAIM_SECRET_BLOCK");
        var signature = Steps.Required(r, "PASSWORD_CLAIM_SIGNATURE");
        var timestamp = Steps.Required(r, "TIMESTAMP");
        if (!Srp.TryParseTimestamp(timestamp, out _))
            throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in English.");
        var (_, state) = await sessions.Take<DevicePasswordState>(session, ctx.ClientId, DeviceStep.PasswordVerifier, ct);
        var (user, device) = await answers.Resolve(ctx, state.Auth.Sub, r, state.DeviceKey, ct);
        var attempt = await lockout.Begin(user, ct) ?? throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
        var proven = secretBlock == state.SecretBlock && device.SecretVerifier!.Split(':') is [_, var verifier]
                     && Srp.VerifyDeviceClaim(device.DeviceGroupKey, device.DeviceKey, verifier, state.SrpA, state.PrivateB, state.SrpB,
                         secretBlock, timestamp, signature);
        if (!proven) throw NotAuthorizedException.IncorrectPassword();
        await lockout.Proven(user, attempt, ct);
        var auth = state.Auth;
        var proved = ctx with { DeviceKey = device.DeviceKey, DeviceProven = true };
        if (Devices.SkipsMfa(ctx.Pool) && auth.RiskFactor is null)
            return await completion.Complete(proved, user, auth.AuthTime, ct, auth.TokenSource, auth.Kind);
        return await secondFactor.Begin(proved, user, auth.AuthTime, ct, auth.TokenSource, auth.Kind, auth.RiskFactor);
    }
}
