using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>Password sign-in for the hosted pages: the user's state decides what comes next
/// (signed in, confirm the account, choose a new password, reset it), and failures slow down.</summary>
public sealed class HostedSignIn(PortalDb db, UserStore users, Credentials credentials, SignInLockout lockout, UserTriggers triggers,
    UserMigration migration, AuthEvents events, TimeProvider clock)
{
    public enum Outcome { Signed, NotConfirmed, NewPasswordRequired, ResetRequired, Failed }

    public sealed record Result(Outcome Kind, UserRow? User = null, string? Message = null, string? Session = null, string? Field = null);

    const string WrongPassword = "Incorrect username or password.";
    static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(3);

    public async Task<Result> WithPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string password, CancellationToken ct)
    {
        try
        {
            return await Authenticate(pool, client, username, password, ct);
        }
        catch (UserLambdaValidationException e)
        {
            // A pre/post authentication or migration function refused: its message is what Cognito's hosted UI shows.
            return new(Outcome.Failed, Message: e.Message);
        }
    }

    async Task<Result> Authenticate(UserPoolStore.Pool pool, AppClientStore.Client client, string username, string password, CancellationToken ct)
    {
        var clientId = client.Row.ClientId;
        var user = await users.Find(pool, username, ct);
        // A name the pool does not know may be a user of the old directory: the migration trigger vouches with the password.
        if (user is null && UserMigration.Configured(pool))
        {
            try { user = await migration.Migrate(pool, clientId, username, password, null, null, ct); }
            catch (UserNotFoundException) { user = null; }
            if (user is { Status: "RESET_REQUIRED" })
            {
                await db.SaveChangesAsync(ct);
                return new(Outcome.ResetRequired, user);
            }
        }
        if (user is null || user.Status == "EXTERNAL_PROVIDER") return new(Outcome.Failed, Message: WrongPassword);
        if (lockout.IsLocked(user)) return new(Outcome.Failed, Message: "Too many failed attempts. Wait a few minutes, then try again.");
        await triggers.PreAuthentication(pool, user, username, clientId, null, ct);
        if (!credentials.Verify(user, password))
        {
            lockout.Failed(user);
            events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", false));
            await db.SaveChangesAsync(ct);
            return new(Outcome.Failed, Message: WrongPassword);
        }
        if (!user.Enabled)
        {
            if (events.Add(pool, user, "SignIn", "Fail", clientId, ("Password", true)) is not null) await db.SaveChangesAsync(ct);
            return new(Outcome.Failed, Message: "Your account is disabled. Contact the app's support.");
        }
        lockout.Succeeded(user);
        if (user.Status is "CONFIRMED")
        {
            await triggers.PostAuthentication(pool, user, clientId, null, ct);
            await events.SignedIn(pool, user, clientId, ct, ("Password", true));
        }
        else events.Add(pool, user, "SignIn", user.Status == "FORCE_CHANGE_PASSWORD" ? "InProgress" : "Fail", clientId, ("Password", true));
        await db.SaveChangesAsync(ct);
        return user.Status switch
        {
            "UNCONFIRMED" => new(Outcome.NotConfirmed, user),
            "RESET_REQUIRED" => new(Outcome.ResetRequired, user),
            "FORCE_CHANGE_PASSWORD" => new(Outcome.NewPasswordRequired, user, Session: await StartNewPassword(pool, client, user, ct)),
            _ => new(Outcome.Signed, user),
        };
    }

    async Task<string> StartNewPassword(UserPoolStore.Pool pool, AppClientStore.Client client, UserRow user, CancellationToken ct)
    {
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        db.AuthSessions.Add(new AuthSessionRow
        {
            Id = Hash(session), UserPoolId = pool.Row.Id, ClientId = client.Row.ClientId, UserSub = user.Sub,
            ChallengeName = "HOSTED_NEW_PASSWORD_REQUIRED", ExpiresAt = clock.GetUtcNow() + SessionLifetime,
        });
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Required attributes the user of a new-password session has no value for yet.</summary>
    public async Task<IReadOnlyList<string>> MissingAttributes(UserPoolStore.Pool pool, string session, CancellationToken ct)
    {
        var row = await db.AuthSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == Hash(session), ct);
        var user = row?.UserSub is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
        if (user is null) return [];
        var values = UserStore.Attributes(user);
        return (pool.Settings.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub" && !values.ContainsKey(a.Name!))
            .Select(a => a.Name!).ToList();
    }

    public async Task<Result> CompleteNewPassword(UserPoolStore.Pool pool, AppClientStore.Client client, string session, string password,
        IReadOnlyDictionary<string, string> attributes, CancellationToken ct)
    {
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == Hash(session), ct);
        if (row is null || row.ChallengeName != "HOSTED_NEW_PASSWORD_REQUIRED" || row.ClientId != client.Row.ClientId || row.ExpiresAt < clock.GetUtcNow())
            return new(Outcome.Failed, Message: "Your sign-in took too long. Sign in again to choose your new password.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Sub == row.UserSub, ct);
        if (user is null) return new(Outcome.Failed, Message: WrongPassword);
        try
        {
            var given = attributes.Where(a => a.Value.Length > 0).Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList();
            AttributeRules.CheckWritable(pool.Settings, given, creating: false);
            UserStore.SetAttributes(user, given.Select(a => new KeyValuePair<string, string?>(a.Name!, a.Value)));
            AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
            credentials.SetPassword(pool, user, password);
        }
        catch (InvalidPasswordException e)
        {
            return new(Outcome.Failed, Message: e.Message.Replace("Password did not conform with policy: ", ""), Session: session, Field: "password");
        }
        catch (InvalidParameterException e)
        {
            return new(Outcome.Failed, Message: e.Message, Session: session, Field: attributes.Keys.FirstOrDefault(k => e.Message.Contains(k)) ?? "password");
        }
        user.Status = "CONFIRMED";
        db.AuthSessions.Remove(row);
        await events.Passed(pool, user, ct);
        await db.SaveChangesAsync(ct);
        return new(Outcome.Signed, user);
    }

    static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
