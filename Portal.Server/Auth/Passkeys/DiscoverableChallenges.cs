using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Passkeys;

/// <summary>
/// The challenge of a passkey sign-in that names no user (the hosted login page's passkey button and the browser's
/// autofill). Every view of the login page offers one, so it is not stored: the Session handed out carries the request
/// options bound to the pool, the client and an expiry, protected (authenticated encryption) with the deployment's Data
/// Protection keys, which every instance shares. Single use is enforced only when an assertion comes back: a used-challenge
/// row is inserted then under the auth sessions' primary key, and a replay's insert finds it there and inserts nothing.
/// The row expires with the challenge and is swept with the expired sessions.
/// </summary>
public sealed class DiscoverableChallenges(IDataProtectionProvider protection, PortalDb db, TimeProvider clock)
{
    const string Prefix = "webauthn.";
    /// <summary>The challenge name of a used-challenge row: no flow ever takes it as a session.</summary>
    public const string UsedChallenge = "WEB_AUTHN_USED";

    IDataProtector Protector => protection.CreateProtector("Portal.Auth.Passkeys.DiscoverableChallenge");

    sealed record Payload(string Pool, string Client, string Options, long Expires);

    /// <summary>Whether a Session is one of these (a stored session's value is plain base64url, with no dot).</summary>
    public static bool Carries(string? session) => session?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>A Session carrying the request options, valid for the client's session minutes; nothing is written.</summary>
    public string Issue(string userPoolId, string clientId, string options, int validityMinutes)
    {
        var expires = clock.GetUtcNow().AddMinutes(Math.Clamp(validityMinutes, 3, 15)).ToUnixTimeSeconds();
        return Prefix + Protector.Protect(JsonSerializer.Serialize(new Payload(userPoolId, clientId, options, expires)));
    }

    /// <summary>The request options a Session carries, when it was issued for this pool and client, has not expired and has
    /// not answered before; using it up is durable (kept when the assertion then fails), as a stored session's is.</summary>
    public async Task<string> Redeem(string session, string userPoolId, string clientId, CancellationToken ct)
    {
        Payload? payload;
        string challenge;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Protector.Unprotect(session[Prefix.Length..]));
            challenge = (string?)JsonNode.Parse(payload?.Options ?? "{}")?["challenge"] ?? "";
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException or InvalidOperationException)
        {
            throw NotAuthorizedException.InvalidSession();
        }
        if (payload is null || challenge.Length == 0 || payload.Pool != userPoolId || payload.Client != clientId)
            throw NotAuthorizedException.InvalidSession();
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.Expires);
        if (expires <= clock.GetUtcNow()) throw new NotAuthorizedException("Invalid session for the user, session is expired.");
        var row = new object[]
        {
            Tokens.Hash(UsedChallenge + ":" + challenge), userPoolId, clientId, UsedChallenge, "{}", Provider(nameof(AuthSessionRow.ExpiresAt), expires),
        };
        var inserted = await db.Work.Durably(c => db.Database.ExecuteSqlRawAsync(Insert, row, c), ct);
        if (inserted == 0) throw NotAuthorizedException.InvalidSession();
        return payload.Options;
    }

    const string Insert = "INSERT INTO \"AuthSessions\" (\"Id\", \"UserPoolId\", \"ClientId\", \"ChallengeName\", \"State\", \"ExpiresAt\") "
                          + "VALUES ({0}, {1}, {2}, {3}, {4}, {5}) ON CONFLICT DO NOTHING";

    /// <summary>A value as the provider stores the column (SQLite keeps dates through a converter).</summary>
    object Provider(string property, object value) =>
        db.Model.FindEntityType(typeof(AuthSessionRow))!.FindProperty(property)!.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
}
