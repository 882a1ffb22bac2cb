using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

sealed record CustomState(string Username, string? Sub, List<ChallengeResult> Rounds, string PrivateParameters, string? Metadata,
    DateTimeOffset Started);

/// <summary>CUSTOM_AUTH's rounds: the define trigger says what comes next (tokens, failure, or a challenge the create
/// trigger makes, or PASSWORD_VERIFIER after SRP_A).</summary>
public sealed class CustomAuthStep(PortalDb db, AuthSessions sessions, UserTriggers triggers, AuthEvents events, SrpStep srp,
    SignInCompletion completion)
{
    /// <summary>More rounds than this end the flow, whatever the define trigger says (Cognito stops at a similar bound).</summary>
    const int MaxRounds = 10;

    /// <param name="srpParameters">The InitiateAuth parameters with SRP_A, when the define trigger may answer PASSWORD_VERIFIER next.</param>
    public async Task<AuthStep> Next(SignInContext ctx, UserRow? user, string username, List<ChallengeResult> rounds,
        DateTimeOffset started, CancellationToken ct, IReadOnlyDictionary<string, string>? srpParameters = null)
    {
        var define = await triggers.DefineAuthChallenge(ctx.Pool, user, username, ctx.ClientId, rounds, ctx.Metadata, ct);
        if (define.FailAuthentication || rounds.Count >= MaxRounds || (define.IssueTokens && user is null))
        {
            if (user is not null && rounds.Count > 0) events.Add(ctx.Pool, user, "SignIn", "Fail", ctx.ClientId);
            await db.SaveChangesAsync(ct);
            throw NotAuthorizedException.IncorrectPassword();
        }
        if (define.IssueTokens)
        {
            if (user!.Status == UserStatus.Unconfirmed)
            {
                await db.SaveChangesAsync(ct);
                throw UserNotConfirmedException.ForUser();
            }
            return await completion.Complete(ctx, user, started, ct, kind: SignInKind.Custom);
        }
        if (define.ChallengeName == ChallengeName.PasswordVerifier && srpParameters is not null)
            return await srp.Start(ctx, srpParameters, new CustomSrp(rounds, started), ct);
        if (define.ChallengeName != ChallengeName.CustomChallenge)
            throw new InvalidLambdaResponseException(define.ChallengeName is null
                ? "Unrecognizable lambda output"
                : define.ChallengeName == ChallengeName.PasswordVerifier
                    ? "Invalid challengeName PASSWORD_VERIFIER: it may only follow SRP_A, when the flow started with SRP_A."
                    : $"Invalid challengeName {define.ChallengeName}: Portal's custom authentication flow issues CUSTOM_CHALLENGE and PASSWORD_VERIFIER.");
        var created = await triggers.CreateAuthChallenge(ctx.Pool, user, username, ctx.ClientId, define.ChallengeName, rounds, ctx.Metadata, ct);
        var state = new CustomState(username, user?.Sub, rounds, created.PrivateChallengeParameters.ToJsonString(), created.ChallengeMetadata, started);
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user?.Sub, ChallengeName.CustomChallenge, state, ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        var parameters = new Dictionary<string, string>(created.PublicChallengeParameters) { ["USERNAME"] = username };
        return Steps.Challenge(ChallengeName.CustomChallenge, session, parameters);
    }
}

/// <summary>CUSTOM_AUTH: started with the define auth challenge trigger (and optionally SRP_A).</summary>
public sealed class CustomAuthFlow(UserStore users, SignInLockout lockout, UserTriggers triggers, CustomAuthStep custom, TimeProvider clock) : IAuthFlow
{
    public IReadOnlyCollection<string> Flows { get; } = [AuthFlow.CustomAuth];

    public async Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        ctx.RequireFlow(flow);
        if (!UserTriggers.Has(ctx.Pool, "DefineAuthChallenge"))
            throw new InvalidParameterException("Custom auth lambda trigger is not configured for the user pool.");
        var username = Steps.Required(p, "USERNAME");
        var user = await users.Find(ctx.Pool, username, ct);
        ctx.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), username, user?.Username);
        if (user is null && !ctx.PreventsUserExistenceErrors) throw UserNotFoundException.DoesNotExist();
        if (user is not null)
        {
            if (lockout.IsLocked(user)) throw new NotAuthorizedException(SignInErrors.AttemptsExceeded);
            if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
            await triggers.PreAuthentication(ctx.Pool, user, username, ctx.ClientId, ctx.Metadata, ct);
        }
        // amazon-cognito-identity-js starts CUSTOM_AUTH with a password as CHALLENGE_NAME SRP_A: the define trigger sees that
        // round and may answer PASSWORD_VERIFIER, which proves the password by SRP before custom challenges.
        if (p.GetValueOrDefault("CHALLENGE_NAME") == "SRP_A" || p.ContainsKey("SRP_A"))
        {
            var srpA = Steps.Required(p, "SRP_A");
            if (!Srp.TryParseHex(srpA, out var a) || (a % Srp.N).IsZero) throw InvalidParameterException.InvalidSrpA();
            return await custom.Next(ctx, user, user?.Username ?? username, [new ChallengeResult("SRP_A", true, null)], clock.GetUtcNow(), ct,
                new Dictionary<string, string>(p) { ["USERNAME"] = username });
        }
        return await custom.Next(ctx, user, user?.Username ?? username, [], clock.GetUtcNow(), ct);
    }
}

/// <summary>CUSTOM_CHALLENGE: the answer, judged by the verify auth challenge response trigger.</summary>
public sealed class CustomChallengeResponder(PortalDb db, UserStore users, AuthSessions sessions, UserTriggers triggers, CustomAuthStep custom)
    : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.CustomChallenge];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var answer = Steps.Required(r, "ANSWER");
        var username = Steps.Required(r, "USERNAME");
        var (_, state) = await sessions.Take<CustomState>(session, ctx.ClientId, ChallengeName.CustomChallenge, ct);
        var user = state.Sub is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct);
        if (state.Sub is not null && user is null) throw NotAuthorizedException.InvalidSession();
        if (user is not null && username != user.Username && (await users.Find(ctx.Pool, username, ct))?.Sub != user.Sub)
            throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, state.Username);
        var privateParameters = JsonNode.Parse(state.PrivateParameters) as JsonObject ?? [];
        var correct = await triggers.VerifyAuthChallengeResponse(ctx.Pool, user, state.Username, ctx.ClientId,
            privateParameters, answer, ctx.Metadata, ct);
        List<ChallengeResult> rounds = [.. state.Rounds, new ChallengeResult(ChallengeName.CustomChallenge, correct, state.Metadata)];
        return await custom.Next(ctx, user, state.Username, rounds, state.Started, ct);
    }
}
