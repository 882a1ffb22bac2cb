using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>
/// The Session between an auth flow's steps: an opaque random value handed to the client, stored only as its hash with
/// the challenge it answers and the flow's state, valid for the client's AuthSessionValidity minutes, used once.
/// </summary>
public sealed class AuthSessions(PortalDb db, TimeProvider clock)
{
    /// <summary>Starts a session (joins the caller's unit of work) and returns its opaque value.</summary>
    /// <param name="value">The opaque value to use (e.g. a SECRET_BLOCK), or null for a fresh random one.</param>
    public async Task<string> Start(string userPoolId, string clientId, string? sub, string challengeName, object state,
        int validityMinutes, CancellationToken ct, string? value = null)
    {
        var now = clock.GetUtcNow();
        // Expired sessions are never used again: sweep them as new ones start.
        await db.AuthSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        value ??= Jwt.Base64Url(RandomNumberGenerator.GetBytes(96));
        db.AuthSessions.Add(new AuthSessionRow
        {
            Id = Tokens.Hash(value), UserPoolId = userPoolId, ClientId = clientId, UserSub = sub, ChallengeName = challengeName,
            State = JsonSerializer.Serialize(state), ExpiresAt = now + TimeSpan.FromMinutes(Math.Clamp(validityMinutes, 3, 15)),
        });
        return value;
    }

    /// <summary>Takes the session for this client and challenge, removing it (on the caller's SaveChanges): a session answers once.</summary>
    public async Task<(AuthSessionRow Row, T State)> Take<T>(string? value, string clientId, string challengeName, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(value)) throw NotAuthorizedException.InvalidSession();
        var id = Tokens.Hash(value);
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null || row.ClientId != clientId || row.ChallengeName != challengeName)
            throw NotAuthorizedException.InvalidSession();
        if (row.ExpiresAt <= clock.GetUtcNow())
        {
            db.AuthSessions.Remove(row);
            await db.SaveChangesAsync(ct);
            throw new NotAuthorizedException("Invalid session for the user, session is expired.");
        }
        db.AuthSessions.Remove(row);
        var state = JsonSerializer.Deserialize<T>(row.State) ?? throw NotAuthorizedException.InvalidSession();
        return (row, state);
    }

    /// <summary>Takes the session for this challenge whatever client it was started for (AssociateSoftwareToken and
    /// VerifySoftwareToken name no client): removed on the caller's SaveChanges.</summary>
    public async Task<(AuthSessionRow Row, T State)> TakeAny<T>(string? value, string challengeName, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(value)) throw NotAuthorizedException.InvalidSession();
        var id = Tokens.Hash(value);
        var row = await db.AuthSessions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null || row.ChallengeName != challengeName) throw NotAuthorizedException.InvalidSession();
        return await Take<T>(value, row.ClientId, challengeName, ct);
    }

    /// <summary>The next step of a flow: a new session for the same user and client, with the same expiry.</summary>
    public string Continue(AuthSessionRow previous, string challengeName, object state)
    {
        var value = Jwt.Base64Url(RandomNumberGenerator.GetBytes(96));
        db.AuthSessions.Add(new AuthSessionRow
        {
            Id = Tokens.Hash(value), UserPoolId = previous.UserPoolId, ClientId = previous.ClientId, UserSub = previous.UserSub,
            ChallengeName = challengeName, State = JsonSerializer.Serialize(state), ExpiresAt = previous.ExpiresAt,
        });
        return value;
    }

    /// <summary>The challenge a session answers, or null (for routing a challenge name two flows share).</summary>
    public async Task<string?> ChallengeOf(string? value, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var id = Tokens.Hash(value);
        return await db.AuthSessions.AsNoTracking().Where(s => s.Id == id).Select(s => s.ChallengeName).FirstOrDefaultAsync(ct);
    }
}
