using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Server.Auth;

/// <summary>The salt and verifier kept for a user instead of a password, for USER_SRP_AUTH.
/// Both are hex as amazon-cognito-identity-js formats big integers (see <see cref="Srp.PadHex"/>);
/// <see cref="SaltHex"/> is sent as the SALT challenge parameter.</summary>
public sealed record SrpVerifier(string SaltHex, string VerifierHex);

/// <summary>The server half of one SRP exchange: <see cref="SrpB"/> goes out as the SRP_B challenge
/// parameter, <see cref="PrivateB"/> (the secret exponent b, hex) stays in the server's session state.</summary>
public sealed record SrpServerSession(string SrpB, string PrivateB);

/// <summary>
/// Server side of Cognito's SRP-6a variant (USER_SRP_AUTH, PASSWORD_VERIFIER), bit-compatible with
/// amazon-cognito-identity-js (AuthenticationHelper / CognitoUser.authenticateUserDefaultAuth):
/// RFC 5054 3072-bit group, g = 2, k = H(padHex(N) || padHex(g)), u = H(padHex(A) || padHex(B)),
/// x = H(padHex(salt) || H(poolName || userIdForSrp || ":" || password)), v = g^x mod N,
/// key = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key")[..16],
/// PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName || userIdForSrp || secretBlock || TIMESTAMP)).
/// Every hash input that is a big integer is the byte form of the lib's padHex.
/// </summary>
public static class Srp
{
    /// <summary>The 3072-bit MODP prime of RFC 5054 (and RFC 3526 group 15).</summary>
    internal static readonly BigInteger N = ParseHex(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
        "29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
        "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
        "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
        "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
        "DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
        "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
        "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
        "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");

    internal static readonly BigInteger G = new(2);

    /// <summary>k = H(padHex(N) || padHex(g)); note g is not padded to the length of N (a Cognito quirk).</summary>
    internal static readonly BigInteger K = HashToInteger(Concat(PadBytes(N), PadBytes(G)));

    private static readonly byte[] DerivedKeyInfo = Encoding.UTF8.GetBytes("Caldera Derived Key");

    /// <summary>The TIMESTAMP format the client sends, e.g. "Tue Mar 4 09:05:07 UTC 2025" (day not zero-padded).</summary>
    public const string TimestampFormat = "ddd MMM d HH:mm:ss 'UTC' yyyy";

    private const int SaltBytes = 16;
    private const int PrivateBBytes = 128; // as large as the client's a

    // ---- verifier, at the time a password is set ----

    /// <summary>A fresh random 16-byte salt and the verifier v = g^x mod N for the password.</summary>
    /// <param name="poolId">The user pool id (us-east-1_XXXX); its part after '_' is the pool name hashed in.</param>
    /// <param name="userIdForSrp">The USER_ID_FOR_SRP the client will be given (the username).</param>
    public static SrpVerifier CreateVerifier(string poolId, string userIdForSrp, string password)
        => CreateVerifier(poolId, userIdForSrp, password, RandomNumberGenerator.GetBytes(SaltBytes));

    /// <summary>As above with a fixed salt (for tests).</summary>
    internal static SrpVerifier CreateVerifier(string poolId, string userIdForSrp, string password, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(userIdForSrp);
        ArgumentNullException.ThrowIfNull(password);
        // The client parses SALT as a big integer and hashes padHex of it: do the same with ours.
        var saltHex = PadHex(new BigInteger(salt, isUnsigned: true, isBigEndian: true));
        var x = ComputeX(PoolName(poolId), userIdForSrp, password, saltHex);
        var v = Gmp.ModPow(G, x, N, secret: true);
        return new SrpVerifier(saltHex, PadHex(v));
    }

    // ---- InitiateAuth: the server's B ----

    /// <summary>A random private b and the public B = (k·v + g^b) mod N, for the SRP_B challenge parameter.</summary>
    public static SrpServerSession Start(string verifierHex)
    {
        while (true)
        {
            var b = new BigInteger(RandomNumberGenerator.GetBytes(PrivateBBytes), isUnsigned: true, isBigEndian: true);
            if (b.IsZero) continue;
            var session = Start(verifierHex, b);
            if (!ParseHex(session.SrpB).IsZero) return session;
        }
    }

    /// <summary>As above with a fixed private b (for tests).</summary>
    internal static SrpServerSession Start(string verifierHex, BigInteger b)
    {
        var v = ParseHex(verifierHex);
        var B = (K * v + Gmp.ModPow(G, b, N, secret: true)) % N;
        return new SrpServerSession(PadHex(B), PadHex(b));
    }

    // ---- RespondToAuthChallenge(PASSWORD_VERIFIER) ----

    /// <summary>
    /// Checks a PASSWORD_VERIFIER answer: S = (A · v^u)^b mod N, the derived key, and
    /// PASSWORD_CLAIM_SIGNATURE compared in constant time. False for any malformed input, for
    /// A ≡ 0 (mod N), for u = 0 and for a wrong signature. The timestamp is only checked through
    /// the signature; use <see cref="TryParseTimestamp"/> to check its format or age.
    /// </summary>
    /// <param name="srpAHex">SRP_A from InitiateAuth's AuthParameters (the client's unpadded hex).</param>
    /// <param name="bHex">The private b kept from <see cref="Start(string)"/>.</param>
    /// <param name="BHex">The SRP_B sent to the client.</param>
    /// <param name="secretBlockBase64">The SECRET_BLOCK the server issued (PASSWORD_CLAIM_SECRET_BLOCK).</param>
    /// <param name="timestamp">TIMESTAMP from the challenge responses, as sent.</param>
    /// <param name="signatureBase64">PASSWORD_CLAIM_SIGNATURE.</param>
    public static bool VerifyPasswordClaim(
        string poolId, string userIdForSrp, string saltHex, string verifierHex,
        string srpAHex, string bHex, string BHex,
        string secretBlockBase64, string timestamp, string signatureBase64)
    {
        if (poolId is null || !TryPoolName(poolId, out var poolName)) return false;
        return TryParseHex(saltHex, out _)
               && VerifyClaim(poolName, userIdForSrp, verifierHex, srpAHex, bHex, BHex, secretBlockBase64, timestamp, signatureBase64);
    }

    /// <summary>
    /// Checks a DEVICE_PASSWORD_VERIFIER answer: device SRP is user SRP with the device group key as the pool name and the
    /// device key as the user (amazon-cognito-identity-js AuthenticationHelper(deviceGroupKey).getPasswordAuthenticationKey).
    /// </summary>
    public static bool VerifyDeviceClaim(string deviceGroupKey, string deviceKey, string verifierHex, string srpAHex, string bHex, string BHex,
        string secretBlockBase64, string timestamp, string signatureBase64) =>
        !string.IsNullOrEmpty(deviceGroupKey)
        && VerifyClaim(deviceGroupKey, deviceKey, verifierHex, srpAHex, bHex, BHex, secretBlockBase64, timestamp, signatureBase64);

    static bool VerifyClaim(string poolName, string userIdForSrp, string verifierHex, string srpAHex, string bHex, string BHex,
        string secretBlockBase64, string timestamp, string signatureBase64)
    {
        if (userIdForSrp is null || timestamp is null) return false;
        if (!TryParseHex(verifierHex, out var v)
            || !TryParseHex(srpAHex, out var A) || !TryParseHex(bHex, out var b) || !TryParseHex(BHex, out var B))
            return false;
        if ((A % N).IsZero || (B % N).IsZero) return false;
        if (!TryFromBase64(secretBlockBase64, out var secretBlock) || !TryFromBase64(signatureBase64, out var signature))
            return false;

        var u = ComputeU(A, B);
        if (u.IsZero) return false;

        var S = Gmp.ModPow(A * Gmp.ModPow(v, u, N, secret: false) % N, b, N, secret: true);
        var key = DeriveKey(S, u);
        var expected = ComputeSignature(key, poolName, userIdForSrp, secretBlock, timestamp);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    // ---- TIMESTAMP ----

    /// <summary>Formats an instant the way the client's DateHelper does: "Tue Mar 4 09:05:07 UTC 2025".</summary>
    public static string FormatTimestamp(DateTimeOffset instant)
        => instant.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Whether a TIMESTAMP is in the client's format (English names, UTC, a day of week that fits the date).</summary>
    public static bool TryParseTimestamp(string? timestamp, out DateTimeOffset instant)
    {
        if (timestamp is not null && DateTime.TryParseExact(timestamp, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            instant = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }
        instant = default;
        return false;
    }

    // ---- the lib's building blocks (internal for the tests) ----

    /// <summary>The pool name the client hashes: the part of the pool id after '_' (the lib's split('_')[1]).</summary>
    internal static string PoolName(string poolId)
        => TryPoolName(poolId, out var name) ? name : throw new ArgumentException($"'{poolId}' is not a user pool id.", nameof(poolId));

    private static bool TryPoolName(string poolId, out string name)
    {
        ArgumentNullException.ThrowIfNull(poolId);
        var parts = poolId.Split('_');
        name = parts.Length > 1 ? parts[1] : "";
        return name.Length > 0;
    }

    /// <summary>x = H(padHex(salt) || H(poolName || userIdForSrp || ":" || password)), both hashes over bytes.</summary>
    internal static BigInteger ComputeX(string poolName, string userIdForSrp, string password, string saltHex)
    {
        var usernamePasswordHash = SHA256.HashData(Encoding.UTF8.GetBytes($"{poolName}{userIdForSrp}:{password}"));
        return HashToInteger(Concat(PadBytes(ParseHex(saltHex)), usernamePasswordHash));
    }

    /// <summary>u = H(padHex(A) || padHex(B)).</summary>
    internal static BigInteger ComputeU(BigInteger A, BigInteger B) => HashToInteger(Concat(PadBytes(A), PadBytes(B)));

    /// <summary>The lib's computehkdf: PRK = HMAC(padHex(u), padHex(S)); key = HMAC(PRK, info || 0x01)[..16].</summary>
    internal static byte[] DeriveKey(BigInteger S, BigInteger u)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, PadBytes(S), 16, PadBytes(u), DerivedKeyInfo);

    /// <summary>HMAC-SHA256(key, poolName || userIdForSrp || secretBlock || timestamp).</summary>
    internal static byte[] ComputeSignature(byte[] key, string poolName, string userIdForSrp, byte[] secretBlock, string timestamp)
        => HMACSHA256.HashData(key, Concat(
            Encoding.UTF8.GetBytes(poolName), Encoding.UTF8.GetBytes(userIdForSrp), secretBlock, Encoding.UTF8.GetBytes(timestamp)));

    /// <summary>
    /// The lib's padHex: the minimal two's-complement big-endian hex of the integer, so a positive
    /// value whose top bit is set gets a leading "00", and a negative one is FF.. sign-extended only as
    /// far as needed (the same as Java's BigInteger.toByteArray). Lowercase, always of even length; 0 is "00".
    /// </summary>
    internal static string PadHex(BigInteger value) => Convert.ToHexStringLower(PadBytes(value));

    /// <summary>The bytes of <see cref="PadHex"/>, as the lib's Buffer.from(padHex(x), 'hex').</summary>
    internal static byte[] PadBytes(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>A non-negative integer from hex as the lib's new BigInteger(hex, 16) reads it (any case, odd length allowed).</summary>
    internal static BigInteger ParseHex(string hex)
        => TryParseHex(hex, out var value) ? value : throw new FormatException("Not a hex number.");

    internal static bool TryParseHex(string? hex, out BigInteger value)
    {
        value = default;
        if (string.IsNullOrEmpty(hex)) return false;
        foreach (var c in hex)
            if (!char.IsAsciiHexDigit(c)) return false;
        var bytes = Convert.FromHexString(hex.Length % 2 == 0 ? hex : "0" + hex);
        value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return true;
    }

    private static bool TryFromBase64(string? base64, out byte[] bytes)
    {
        bytes = [];
        if (base64 is null) return false;
        try
        {
            bytes = Convert.FromBase64String(base64);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static BigInteger HashToInteger(byte[] data)
        => new(SHA256.HashData(data), isUnsigned: true, isBigEndian: true);

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }
}
