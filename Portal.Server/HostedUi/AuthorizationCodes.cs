using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.HostedUi;

/// <summary>OAuth authorization codes: random, stored only as hashes, single use, five minutes.</summary>
public sealed class AuthorizationCodes(PortalDb db, TimeProvider clock)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<string> Issue(string userPoolId, string clientId, string sub, OAuthParameters oauth, IReadOnlyList<string> scopes,
        DateTimeOffset authTime, CancellationToken ct)
    {
        var code = Guid.NewGuid().ToString(); // Cognito's codes look like UUIDs; 122 random bits
        db.AuthorizationCodes.Add(new AuthorizationCodeRow
        {
            CodeHash = Hash(code), UserPoolId = userPoolId, ClientId = clientId, UserSub = sub, RedirectUri = oauth.RedirectUri!,
            Scopes = string.Join(' ', scopes), Nonce = oauth.Nonce, CodeChallenge = oauth.CodeChallenge,
            CodeChallengeMethod = oauth.CodeChallenge is null ? null : oauth.CodeChallengeMethod ?? "S256",
            AuthTime = authTime, ExpiresAt = clock.GetUtcNow() + Lifetime,
        });
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>Takes the code once: returns the row if it is valid for this client, redirect URI and PKCE verifier, else null.
    /// A code presented twice is dead after the first time.</summary>
    public async Task<(AuthorizationCodeRow? Row, string? Error)> Redeem(string? code, string clientId, string? redirectUri, string? verifier,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(code)) return (null, "code is required");
        var hash = Hash(code);
        var row = await db.AuthorizationCodes.FirstOrDefaultAsync(c => c.CodeHash == hash, ct);
        if (row is null || row.UsedAt is not null || row.ExpiresAt < clock.GetUtcNow()) return (null, "the code is unknown, used or expired");
        row.UsedAt = clock.GetUtcNow();
        // Mark used before checking the rest, so a wrong guess of verifier or redirect also burns the code.
        await db.SaveChangesAsync(ct);
        if (row.ClientId != clientId) return (null, "the code was issued to another client");
        if (row.RedirectUri != redirectUri) return (null, "redirect_uri does not match the one of the authorization request");
        if (row.CodeChallenge is not null)
        {
            if (string.IsNullOrEmpty(verifier)) return (null, "code_verifier is required");
            var computed = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(row.CodeChallenge)))
                return (null, "code_verifier does not match the code_challenge");
        }
        return (row, null);
    }

    static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
