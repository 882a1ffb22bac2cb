using System.Text;

namespace Portal.Server.Auth;

/// <summary>Argon2id (libsodium through Geralt) with OWASP's parameters: 19 MiB, 2 passes, 1 lane.</summary>
public sealed class PasswordHasher
{
    const int Iterations = 2;
    const int MemoryBytes = 19 * 1024 * 1024;

    public string Hash(string password)
    {
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(password), Iterations, MemoryBytes);
        return encoded.TrimEnd('\0').ToString();
    }

    public bool Verify(string? hash, string password)
    {
        if (string.IsNullOrEmpty(hash)) return false;
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        encoded.Clear();
        hash.AsSpan().CopyTo(encoded);
        return Geralt.Argon2id.VerifyHash(encoded, Encoding.UTF8.GetBytes(password));
    }
}
