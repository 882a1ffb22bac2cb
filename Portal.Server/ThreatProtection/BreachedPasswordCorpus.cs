using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Server.ThreatProtection;

/// <summary>
/// The offline breached-password corpus shipped with Portal (breached-passwords.bin, built by build-corpus.mjs from the
/// common-password list of @zxcvbn-ts/language-common): the first 64 bits of each password's SHA-1 in a hash set, so a
/// lookup is one hash and one probe, and a fresh machine with no internet still refuses the most common breached
/// passwords. 64 bits of SHA-1 over ~50,000 entries make a false match about 1 in 3·10^14.
/// </summary>
public sealed class BreachedPasswordCorpus
{
    readonly HashSet<ulong> prefixes;

    public BreachedPasswordCorpus()
    {
        using var stream = typeof(BreachedPasswordCorpus).Assembly.GetManifestResourceStream("Portal.Server.ThreatProtection.breached-passwords.bin")
                           ?? throw new InvalidOperationException("The breached-password corpus is not embedded in Portal.Server.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        prefixes = new HashSet<ulong>(bytes.Length / 8);
        for (var i = 0; i + 8 <= bytes.Length; i += 8) prefixes.Add(BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(i, 8)));
    }

    /// <summary>How many passwords the corpus holds.</summary>
    public int Count => prefixes.Count;

    public bool Contains(string password) => Contains(Sha1(password));

    /// <summary>Whether the password with this SHA-1 (20 bytes) is in the corpus.</summary>
    public bool Contains(ReadOnlySpan<byte> sha1) => prefixes.Contains(BinaryPrimitives.ReadUInt64BigEndian(sha1));

    public static byte[] Sha1(string password) =>
#pragma warning disable CA5350 // SHA-1 is what the breached-password lists (Pwned Passwords) are keyed by; it protects nothing here.
        SHA1.HashData(Encoding.UTF8.GetBytes(password));
#pragma warning restore CA5350
}
