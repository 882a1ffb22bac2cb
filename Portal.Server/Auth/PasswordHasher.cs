using System.Text;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Throttling;

namespace Portal.Server.Auth;

/// <summary>Argon2id (libsodium through Geralt) with OWASP's parameters: 19 MiB, 2 passes, 1 lane. Each hash holds 19 MiB,
/// so only a bounded number run at once and a bounded number wait; past that a sign-in is answered TooManyRequestsException,
/// and a flood of sign-ins (of unknown users too, who cost a dummy hash) cannot exhaust memory.</summary>
public sealed class PasswordHasher : IDisposable
{
    const int Iterations = 2;
    const int MemoryBytes = 19 * 1024 * 1024;
    static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    readonly SemaphoreSlim turns;
    readonly int mostAtOnce;
    int present;   // hashing or waiting
    long spent;

    public void Dispose() => turns.Dispose();

    /// <summary>Hashes computed or checked so far: a known and an unknown name must cost the same number of them.</summary>
    public long Spent => Interlocked.Read(ref spent);

    public PasswordHasher() : this(Options.Create(new RateLimitOptions())) { }

    public PasswordHasher(IOptions<RateLimitOptions> options)
    {
        var concurrency = options.Value.PasswordHashConcurrency > 0 ? options.Value.PasswordHashConcurrency : Environment.ProcessorCount;
        turns = new SemaphoreSlim(concurrency, concurrency);
        mostAtOnce = concurrency + Math.Max(0, options.Value.PasswordHashQueue);
    }

    public string Hash(string password)
    {
        using var turn = Enter();
        Interlocked.Increment(ref spent);
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(password), Iterations, MemoryBytes);
        return encoded.TrimEnd('\0').ToString();
    }

    public bool Verify(string? hash, string password)
    {
        if (string.IsNullOrEmpty(hash)) return false;
        using var turn = Enter();
        Interlocked.Increment(ref spent);
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        encoded.Clear();
        hash.AsSpan().CopyTo(encoded);
        return Geralt.Argon2id.VerifyHash(encoded, Encoding.UTF8.GetBytes(password));
    }

    /// <summary>A turn to hash: refused at once when too many hash or wait already, or after waiting too long.</summary>
    Turn Enter()
    {
        if (Interlocked.Increment(ref present) > mostAtOnce)
        {
            Interlocked.Decrement(ref present);
            throw new TooManyRequestsException(RateLimits.Message);
        }
        if (turns.Wait(LongestWait)) return new Turn(this);
        Interlocked.Decrement(ref present);
        throw new TooManyRequestsException(RateLimits.Message);
    }

    void Leave()
    {
        turns.Release();
        Interlocked.Decrement(ref present);
    }

    readonly struct Turn(PasswordHasher hasher) : IDisposable
    {
        public void Dispose() => hasher.Leave();
    }
}
