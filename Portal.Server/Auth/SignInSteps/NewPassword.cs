using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth;

sealed record NewPasswordState(string Sub, DateTimeOffset AuthTime);

/// <summary>NEW_PASSWORD_REQUIRED for a user created with a temporary password: the challenge, with the required
/// attributes the user has no value for yet.</summary>
public sealed class NewPasswordStep(PortalDb db, AuthSessions sessions)
{
    public async Task<AuthStep> Start(SignInContext ctx, UserRow user, DateTimeOffset authTime, CancellationToken ct)
    {
        var attributes = UserStore.Attributes(user);
        attributes.Remove("sub");
        var required = (ctx.Pool.Settings.SchemaAttributes ?? [])
            .Where(s => s.Required == true && s.Name is not null && s.Name != "sub" && string.IsNullOrEmpty(attributes.GetValueOrDefault(s.Name)))
            .Select(s => "userAttributes." + s.Name).ToList();
        var session = await sessions.Start(ctx.Pool.Row.Id, ctx.ClientId, user.Sub, ChallengeName.NewPasswordRequired,
            new NewPasswordState(user.Sub, authTime), ctx.SessionMinutes, ct);
        await db.SaveChangesAsync(ct);
        return Steps.Challenge(ChallengeName.NewPasswordRequired, session, new()
        {
            ["USER_ID_FOR_SRP"] = user.Username,
            ["requiredAttributes"] = JsonSerializer.Serialize(required),
            ["userAttributes"] = JsonSerializer.Serialize(attributes),
        });
    }
}

/// <summary>The answer to NEW_PASSWORD_REQUIRED: the new password and the required attributes (only those the app client
/// may write; a new address is not a verified one). MFA may follow.</summary>
public sealed class NewPasswordResponder(PortalDb db, UserStore users, AuthSessions sessions, Credentials credentials, SecondFactorStep secondFactor,
    TimeProvider clock) : IChallengeResponder
{
    public IReadOnlyCollection<string> Challenges { get; } = [ChallengeName.NewPasswordRequired];

    public async Task<AuthStep> Respond(SignInContext ctx, string challenge, string? session, IReadOnlyDictionary<string, string> r, CancellationToken ct)
    {
        var username = Steps.Required(r, "USERNAME");
        var newPassword = Steps.Required(r, "NEW_PASSWORD");
        var (_, state) = await sessions.Take<NewPasswordState>(session, ctx.ClientId, ChallengeName.NewPasswordRequired, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == state.Sub, ct) ?? throw NotAuthorizedException.InvalidSession();
        if (username != user.Username && (await users.Find(ctx.Pool, username, ct))?.Sub != user.Sub)
            throw NotAuthorizedException.InvalidSession();
        ctx.CheckSecretHash(r.GetValueOrDefault("SECRET_HASH"), username, user.Username);
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();

        // userAttributes.<name> answers fill in required attributes; values the user already has are not changes.
        var current = UserStore.Attributes(user);
        var changes = r.Where(kv => kv.Key.StartsWith("userAttributes.", StringComparison.Ordinal))
            .Select(kv => new AttributeType { Name = kv.Key["userAttributes.".Length..], Value = kv.Value })
            .Where(a => current.GetValueOrDefault(a.Name!) != a.Value)
            .ToList();
        if (changes.Count > 0)
        {
            changes = AttributeRules.CheckWritable(ctx.Pool.Settings, changes, creating: false);
            ctx.CheckWriteAttributes(changes.Select(a => a.Name!));
            var values = changes.Select(a => new KeyValuePair<string, string?>(a.Name!, a.Value)).ToList();
            // A new address is not a verified one.
            if (changes.Any(a => a.Name == "email") && changes.All(a => a.Name != "email_verified")) values.Add(new("email_verified", "false"));
            if (changes.Any(a => a.Name == "phone_number") && changes.All(a => a.Name != "phone_number_verified")) values.Add(new("phone_number_verified", "false"));
            UserStore.SetAttributes(user, values);
        }
        AttributeRules.CheckRequired(ctx.Pool.Settings, UserStore.Attributes(user));
        await credentials.SetPassword(ctx.Pool, user, newPassword, new(ThreatProtection.PasswordCheck.PasswordChange, "SignIn", ctx.ClientId), ct);
        user.Status = UserStatus.Confirmed;
        user.LastModifiedAt = clock.GetUtcNow();
        return await secondFactor.Begin(ctx, user, state.AuthTime, ct, "TokenGeneration_NewPasswordChallenge", SignInKind.NewPassword);
    }
}
