using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Sts;

/// <summary>What a session token carries: everything needed to verify a request signed with the session's credentials
/// and to know its caller, so verification needs no database read.</summary>
public sealed record SessionClaims
{
    public required string AccessKeyId { get; init; }
    public required string SecretAccessKey { get; init; }
    public required string RoleArn { get; init; }
    public required string RoleId { get; init; }
    public required string RoleName { get; init; }
    public required string SessionName { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset Expiration { get; init; }
    /// <summary>The session policy (JSON) that scopes the session down, e.g. Cognito's guest policy.</summary>
    public string? SessionPolicy { get; init; }
    /// <summary>The managed session policies (STS PolicyArns), by ARN; their default versions apply when a request is decided.</summary>
    public List<string>? SessionPolicyArns { get; init; }
    /// <summary>Session tags (principal tags: aws:PrincipalTag/…).</summary>
    public Dictionary<string, string> Tags { get; init; } = [];
    /// <summary>The web identity: its provider (cognito-identity.amazonaws.com or an OIDC provider's host/path), subject and audience.</summary>
    public string? Provider { get; init; }
    public string? Subject { get; init; }
    public string? Audience { get; init; }
    public List<string> Amr { get; init; } = [];

    /// <summary><c>arn:aws:sts::{account}:assumed-role/{role}/{session}</c> (the role's path is not part of it).</summary>
    public string AssumedRoleArn => $"arn:aws:sts::{Account}:assumed-role/{RoleName}/{SessionName}";

    /// <summary>The account of the role (the fifth field of its ARN).</summary>
    public string Account => RoleArn.Split(':') is { Length: >= 6 } parts ? parts[4] : "";

    /// <summary><c>{RoleId}:{session}</c>, the caller's UserId as GetCallerIdentity and aws:userid name it.</summary>
    public string AssumedRoleId => $"{RoleId}:{SessionName}";
}

/// <summary>Mints and opens session tokens: the claims, encrypted and authenticated with AES-256-GCM under a key shared by
/// every instance (kept in the database, itself encrypted with Data Protection as ApiKeys does). The key is read once per
/// process; after that a token is checked with no database read.</summary>
public sealed class SessionTokens(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection) : IDisposable
{
    public const string KeySetting = "sts.session-token-key";
    const byte Format = 1;
    const int KidBytes = 4, NonceBytes = 12, TagBytes = 16, Header = 1 + KidBytes + NonceBytes;
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.Sts.SessionTokenKey");
    readonly SemaphoreSlim loading = new(1, 1);
    volatile SessionKey? key;

    sealed record SessionKey(byte[] Kid, byte[] Secret);

    static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public void Dispose() => loading.Dispose();

    public async Task<string> Mint(SessionClaims claims, CancellationToken ct)
    {
        var k = await Key(ct);
        var plain = JsonSerializer.SerializeToUtf8Bytes(claims, Json);
        var token = new byte[Header + plain.Length + TagBytes];
        token[0] = Format;
        k.Kid.CopyTo(token, 1);
        RandomNumberGenerator.Fill(token.AsSpan(1 + KidBytes, NonceBytes));
        using var gcm = new AesGcm(k.Secret, TagBytes);
        gcm.Encrypt(token.AsSpan(1 + KidBytes, NonceBytes), plain, token.AsSpan(Header, plain.Length), token.AsSpan(Header + plain.Length, TagBytes),
            token.AsSpan(0, 1 + KidBytes));
        return Convert.ToBase64String(token);
    }

    /// <summary>The claims of a token this service minted, or null when it is not one (forged, tampered, truncated,
    /// another deployment's). Expiry is the caller's to check.</summary>
    public async Task<SessionClaims?> Open(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16384) return null;
        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length) || length < Header + TagBytes + 2 || bytes[0] != Format) return null;
        var k = await Key(ct);
        if (!bytes.AsSpan(1, KidBytes).SequenceEqual(k.Kid)) return null;
        var cipherLength = length - Header - TagBytes;
        var plain = new byte[cipherLength];
        try
        {
            using var gcm = new AesGcm(k.Secret, TagBytes);
            gcm.Decrypt(bytes.AsSpan(1 + KidBytes, NonceBytes), bytes.AsSpan(Header, cipherLength), bytes.AsSpan(Header + cipherLength, TagBytes), plain,
                bytes.AsSpan(0, 1 + KidBytes));
            return JsonSerializer.Deserialize<SessionClaims>(plain, Json);
        }
        catch (Exception e) when (e is AuthenticationTagMismatchException or CryptographicException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Creates the shared key if no instance has yet (start-up calls it, so no operation's transaction waits on it).</summary>
    public Task EnsureKey(CancellationToken ct) => Key(ct);

    async Task<SessionKey> Key(CancellationToken ct)
    {
        if (key is { } cached) return cached;
        await loading.WaitAsync(ct);
        try
        {
            if (key is { } again) return again;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == KeySetting, ct);
            if (row is null)
            {
                var secret = RandomNumberGenerator.GetBytes(32);
                var kid = RandomNumberGenerator.GetBytes(KidBytes);
                db.Settings.Add(new SettingRow { Key = KeySetting, Value = $"{Convert.ToHexString(kid)}:{protector.Protect(Convert.ToBase64String(secret))}" });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another instance made it first: use theirs.
                    db.ChangeTracker.Clear();
                }
                row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == KeySetting, ct);
            }
            var parts = row.Value.Split(':', 2);
            return key = new SessionKey(Convert.FromHexString(parts[0]), Convert.FromBase64String(protector.Unprotect(parts[1])));
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>ASIA + 16 base-32 characters, as STS writes temporary access key ids.</summary>
    public static string NewAccessKeyId() => "ASIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);

    public static string NewSecret() => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40);
}
