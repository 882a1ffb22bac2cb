using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Server.HostedUi;

/// <summary>OAuth authorization codes: random, stored only as hashes, single use, five minutes. Each code names beforehand
/// the token family (origin_jti) its redemption issues, so a replayed code can revoke what it gave out (RFC 6749 §4.1.2).</summary>
public sealed class AuthorizationCodes(PortalDb db, TokenRevocation revocation, TimeProvider clock)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    const string Revoked = "revoked"; // the OriginJti of a code whose replay revoked its family

    public async Task<string> Issue(string userPoolId, string clientId, string sub, OAuthParameters oauth, IReadOnlyList<string> scopes,
        DateTimeOffset authTime, CancellationToken ct)
    {
        var code = Guid.NewGuid().ToString(); // Cognito's codes look like UUIDs; 122 random bits
        db.AuthorizationCodes.Add(new AuthorizationCodeRow
        {
            CodeHash = Hash(code), UserPoolId = userPoolId, ClientId = clientId, UserSub = sub, RedirectUri = oauth.RedirectUri!,
            Scopes = string.Join(' ', scopes), Nonce = oauth.Nonce, CodeChallenge = oauth.CodeChallenge,
            CodeChallengeMethod = oauth.CodeChallenge is null ? null : oauth.CodeChallengeMethod ?? "S256",
            AuthTime = authTime, ExpiresAt = clock.GetUtcNow() + Lifetime, OriginJti = Guid.NewGuid().ToString(),
        });
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>Takes the code once: returns the row if it is valid for this client, redirect URI and PKCE verifier, else null.
    /// A code presented twice is dead after the first time, and the tokens of its first redemption are revoked.</summary>
    public async Task<(AuthorizationCodeRow? Row, string? Error)> Redeem(string? code, string clientId, string? redirectUri, string? verifier,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(code)) return (null, "code is required");
        var hash = Hash(code);
        var now = clock.GetUtcNow();
        // One conditional update takes the code, before anything else is checked, so a wrong guess of verifier or
        // redirect also burns it: of parallel redemptions exactly one sees a row affected.
        var taken = await db.AuthorizationCodes.Where(c => c.CodeHash == hash && c.UsedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        var row = await db.AuthorizationCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, ct);
        if (taken != 1 || row is null)
        {
            if (row is { UsedAt: not null, OriginJti: { } family } && family != Revoked) await RevokeFirstRedemption(hash, family, ct);
            return (null, "the code is unknown, used or expired");
        }
        if (row.OriginJti == Revoked) return (null, "the code was presented twice"); // a replay came in between
        if (row.ClientId != clientId) return (null, "the code was issued to another client");
        if (row.RedirectUri != redirectUri) return (null, "redirect_uri does not match the one of the authorization request");
        if (row.CodeChallenge is null)
        {
            // PKCE downgrade (RFC 9700 §2.1.1): a verifier for a code issued without a challenge means the request was altered.
            if (!string.IsNullOrEmpty(verifier)) return (null, "code_verifier was sent for a code issued without code_challenge");
        }
        else
        {
            if (string.IsNullOrEmpty(verifier)) return (null, "code_verifier is required");
            var computed = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(row.CodeChallenge)))
                return (null, "code_verifier does not match the code_challenge");
        }
        return (row, null);
    }

    /// <summary>A used code came back: whoever holds it may have stolen it, so the family its first redemption issued dies.
    /// Marking the row first makes one replay do it however many arrive at once.</summary>
    async Task RevokeFirstRedemption(string hash, string family, CancellationToken ct)
    {
        var cleared = await db.AuthorizationCodes.Where(c => c.CodeHash == hash && c.OriginJti == family)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.OriginJti, Revoked), ct);
        if (cleared != 1) return;
        await revocation.RevokeFamily(family, ct);
        await db.SaveChangesAsync(ct);
    }

    static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
