using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

sealed record ChoiceState(string Username);

/// <summary>The first factors of choice-based sign-in (USER_AUTH): a password, by SRP or not, or a code by email or SMS.</summary>
public sealed class FirstFactorStep(UserStore users, AuthSessions sessions, PasswordStep password, SrpStep srp, OtpStep otp, WebAuthnStep webAuthn,
    Passkeys.Passkeys passkeys)
{
    /// <summary>The first factors the pool allows (its SignInPolicy) that this user can use: a password, and a code by
    /// email or SMS to a verified address, a passkey the user registered. An unknown user is offered the password, so the
    /// answer tells nothing.</summary>
    public static List<string> Available(UserPoolStore.Pool pool, UserRow? user, bool passkey = false)
    {
        var allowed = pool.Settings.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [ChallengeName.Password];
        var factors = new List<string>();
        if (allowed.Contains(ChallengeName.Password)) factors.AddRange([ChallengeName.Password, ChallengeName.PasswordSrp]);
        var attributes = user is null ? [] : UserStore.Attributes(user);
        if (allowed.Contains(ChallengeName.EmailOtp) && attributes.GetValueOrDefault("email_verified") == "true" && attributes.ContainsKey("email"))
            factors.Add(ChallengeName.EmailOtp);
        if (allowed.Contains(ChallengeName.SmsOtp) && attributes.GetValueOrDefault("phone_number_verified") == "true" && attributes.ContainsKey("phone_number"))
            factors.Add(ChallengeName.SmsOtp);
        if (passkey && allowed.Contains(WebAuthnStep.Challenge)) factors.Add(WebAuthnStep.Challenge);
        return factors.Count > 0 ? factors : [ChallengeName.Password, ChallengeName.PasswordSrp];
    }

    /// <summary>The factor chosen (as the answer to SELECT_CHALLENGE, or by answering PASSWORD / PASSWORD_SRP directly).</summary>
    public async Task<AuthStep> Answer(SignInContext ctx, string? session, string factor, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var (_, state) = await sessions.Take<ChoiceState>(session, ctx.ClientId, ChallengeName.SelectChallenge, ct);
        var username = r.GetValueOrDefault("USERNAME") ?? state.Username;
        var user = await users.Find(ctx.Pool, username, ct);
        if (!Available(ctx.Pool, user, user is not null && await passkeys.Has(user, ct)).Contains(factor))
            throw new InvalidParameterException($"{factor} is not available for this user: the user pool's sign-in policy or the user's verified attributes do not allow it.");
        if (factor == ChallengeName.Password)
            return await password.Check(ctx, username, Steps.Required(r, "PASSWORD"), r.GetValueOrDefault("SECRET_HASH"), ct);
        if (factor is ChallengeName.EmailOtp or ChallengeName.SmsOtp)
            return await otp.Start(ctx, user!, username, factor, ct);
        if (factor == WebAuthnStep.Challenge) return await webAuthn.Start(ctx, user!, username, ct);
        return await srp.Start(ctx, new Dictionary<string, string>(r) { ["USERNAME"] = username }, ct);
    }
}

/// <summary>USER_AUTH: the preferred first factor straight away, or SELECT_CHALLENGE with the factors available.</summary>
public sealed class ChoiceBasedFlow(PortalDb db, UserStore users, AuthSessions sessions, PasswordStep password, SrpStep srp, OtpStep otp,
    WebAuthnStep webAuthn, Passkeys.Passkeys passkeys) : IAuthFlow
{
    public IReadOnlyCollection<string> Flows { get; } = [AuthFlow.UserAuth];

    public async Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        ctx.RequireFlow(flow);
        // The hosted UI's "sign in with a passkey" names no user: the passkey the browser picks tells who signs in.
        if (ctx.Hosted && !p.ContainsKey("USERNAME") && p.GetValueOrDefault("PREFERRED_CHALLENGE") == WebAuthnStep.Challenge)
            return await webAuthn.StartDiscoverable(ctx, ct);
        var username = Steps.Required(p, "USERNAME");
        ctx.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username);
        var preferred = p.GetValueOrDefault("PREFERRED_CHALLENGE");
        var user = await users.Find(ctx.Pool, username, ct);
        var available = FirstFactorStep.Available(ctx.Pool, user, user is not null && await passkeys.Has(user, ct));
        if (preferred == ChallengeName.Password && available.Contains(ChallengeName.Password) && p.TryGetValue("PASSWORD", out var given))
            return await password.Check(ctx, username, given, p.GetValueOrDefault("SECRET_HASH"), ct);
        if (preferred == ChallengeName.PasswordSrp && available.Contains(ChallengeName.PasswordSrp) && p.ContainsKey("SRP_A"))
            return await srp.Start(ctx, p, ct);
        if (preferred is ChallengeName.EmailOtp or ChallengeName.SmsOtp && available.Contains(preferred) && user is not null)
            return await otp.Start(ctx, user, username, preferred, ct);
        if (preferred == WebAuthnStep.Challenge && available.Contains(preferred) && user is not null)
            return await webAuthn.Start(ctx, user, username, ct);
        if (user is null && !ctx.PreventsUserExistenceErrors)
            throw UserNotFoundException.DoesNotExist();
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, null, ChallengeName.SelectChallenge,
            new ChoiceState(username), ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        return new AuthStep(ChallengeName.SelectChallenge, session, [], null) { AvailableChallenges = available };
    }
}

/// <summary>SELECT_CHALLENGE, and PASSWORD / PASSWORD_SRP answered directly: the chosen first factor.</summary>
public sealed class SelectChallengeResponder(FirstFactorStep firstFactor) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.SelectChallenge, ChallengeName.Password, ChallengeName.PasswordSrp];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        if (challenge != ChallengeName.SelectChallenge) return await firstFactor.Answer(ctx, session, challenge, r, ct);
        var answer = Steps.Required(r, "ANSWER");
        if (answer is not (ChallengeName.Password or ChallengeName.PasswordSrp or ChallengeName.EmailOtp or ChallengeName.SmsOtp or WebAuthnStep.Challenge))
            throw new InvalidParameterException($"Invalid ANSWER value: {answer}.");
        return await firstFactor.Answer(ctx, session, answer, r, ct);
    }
}
