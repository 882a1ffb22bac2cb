using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Throttling;

namespace Portal.Server.Auth;

/// <summary>Argon2id (libsodium through Geralt) at OWASP's m=7 MiB, t=5, p=1: OWASP lists it as equal to 19 MiB t=2, and
/// it costs about a third as much here (memory traffic past the cache dominates). A stored hash carries its own parameters
/// (<c>$argon2id$v=19$m=…,t=…,p=1$</c>), so older ones still verify and are hashed again on the next sign-in
/// (<see cref="NeedsRehash"/>). As many hashes run at once as there are cores and a bounded number wait; past that the
/// request is answered TooManyRequestsException at once, so a flood of sign-ins (of unknown users too, who cost a dummy
/// hash) neither exhausts memory nor slows every sign-in down. Each hash's own CPU time (its thread's, so hashes running
/// side by side, which slow each other down through the shared cache, are each counted as they cost) goes to
/// <c>/metrics</c>: <c>portal_password_hashes_total{cost}</c> and <c>portal_password_hash_cpu_time_seconds_total{cost}</c>.</summary>
public sealed class PasswordHasher : IDisposable
{
    public const int Iterations = 5;
    public const int MemoryBytes = 7 * 1024 * 1024;

    /// <summary>libsodium's least Argon2id cost, for testing mode's fast hashing only: its encoded parameters
    /// (<see cref="MinimumCostPrefix"/>) mark such a hash, since no other setting makes them.</summary>
    public const int MinimumIterations = 1, MinimumMemoryBytes = 8 * 1024;
    public const string MinimumCostPrefix = "$argon2id$v=19$m=8,t=1,p=1$";

    readonly SemaphoreSlim turns;
    readonly int mostAtOnce;
    int present;   // hashing or waiting
    long spent;
    readonly Counter<long>? hashes;
    readonly Counter<double>? cpuTime;

    public void Dispose() => turns.Dispose();

    /// <summary>Whether this hasher reports to the metrics (made with the server's meter factory).</summary>
    internal bool Metered => hashes is not null;

    /// <summary>Hashes computed or checked so far: a known and an unknown name must cost the same number of them.</summary>
    public long Spent => Interlocked.Read(ref spent);

    public PasswordHasher() : this(Options.Create(new RateLimitOptions())) { }

    public PasswordHasher(IOptions<RateLimitOptions> options, IMeterFactory meters) : this(options)
    {
        var meter = meters.Create(Engine.OperationMetrics.MeterName);
        hashes = meter.CreateCounter<long>("portal.password_hashes", description: "Argon2id password hashes computed or checked, by cost (full, or testing mode's minimum).");
        cpuTime = meter.CreateCounter<double>("portal.password_hash.cpu_time", unit: "s",
            description: "CPU time of the threads computing or checking Argon2id password hashes, by cost, in seconds.");
    }

    public PasswordHasher(IOptions<RateLimitOptions> options)
    {
        var concurrency = options.Value.PasswordHashConcurrency > 0 ? options.Value.PasswordHashConcurrency : Environment.ProcessorCount;
        turns = new SemaphoreSlim(concurrency, concurrency);
        mostAtOnce = concurrency + Math.Max(0, options.Value.PasswordHashQueue);
    }

    public async Task<string> Hash(string password, CancellationToken ct = default)
    {
        using var turn = await Enter(ct);
        return Compute(password);
    }

    /// <summary>A hash at the minimum cost (<see cref="Testing.FastHashing"/>); it takes no turn, as it costs next to nothing.</summary>
    public string HashAtMinimumCost(string password)
    {
        Interlocked.Increment(ref spent);
        return Compute(password, MinimumIterations, MinimumMemoryBytes);
    }

    public static bool IsMinimumCost(string? hash) => hash?.StartsWith(MinimumCostPrefix, StringComparison.Ordinal) == true;

    /// <summary>Whether the password is the one hashed. A user without a password (none set, a federated user) costs a
    /// hash all the same, so the time taken does not tell such a user from one with a password.</summary>
    public async Task<bool> Verify(string? hash, string password, CancellationToken ct = default)
    {
        using var turn = await Enter(ct);
        if (string.IsNullOrEmpty(hash))
        {
            _ = Compute(password);
            return false;
        }
        Interlocked.Increment(ref spent);
        var encoded = Encoded(hash);
        var bytes = Encoding.UTF8.GetBytes(password);
        var started = ThreadCpuTime.Now();
        var verified = Geralt.Argon2id.VerifyHash(encoded, bytes);
        Counted(IsMinimumCost(hash), started);
        return verified;
    }

    /// <summary>Whether a stored hash was made with other parameters than today's (and is to be hashed again once the
    /// password is proven).</summary>
    /// <param name="minimumCostAllowed">Testing mode's fast hashing is on for the pool: a minimum-cost hash is kept.</param>
    public static bool NeedsRehash(string? hash, bool minimumCostAllowed = false) =>
        !string.IsNullOrEmpty(hash) && !(minimumCostAllowed && IsMinimumCost(hash))
        && Geralt.Argon2id.NeedsRehash(Encoded(hash), Iterations, MemoryBytes);

    string Compute(string password)
    {
        Interlocked.Increment(ref spent);
        return Compute(password, Iterations, MemoryBytes);
    }

    string Compute(string password, int iterations, int memoryBytes)
    {
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        var bytes = Encoding.UTF8.GetBytes(password);
        var started = ThreadCpuTime.Now();
        Geralt.Argon2id.ComputeHash(encoded, bytes, iterations, memoryBytes);
        Counted(iterations == MinimumIterations && memoryBytes == MinimumMemoryBytes, started);
        return encoded.TrimEnd('\0').ToString();
    }

    /// <summary>One hash done on this thread since <paramref name="started"/> (its CPU time then), for the metrics.</summary>
    void Counted(bool minimumCost, TimeSpan? started)
    {
        if (hashes is null) return;
        var cost = new KeyValuePair<string, object?>("cost", minimumCost ? "minimum" : "full");
        hashes.Add(1, cost);
        if (started is { } before && ThreadCpuTime.Now() is { } after) cpuTime!.Add((after - before).TotalSeconds, cost);
    }

    // libsodium reads the encoded hash as a C string in a buffer of its fixed size.
    static char[] Encoded(string hash)
    {
        var encoded = new char[Geralt.Argon2id.HashSize];
        hash.AsSpan(0, Math.Min(hash.Length, encoded.Length)).CopyTo(encoded);
        return encoded;
    }

    /// <summary>A turn to hash. Whether the request is refused is decided here, at once: when as many hash and wait as
    /// allowed already; an admitted request waits only behind the bounded queue.</summary>
    internal async ValueTask<Turn> Enter(CancellationToken ct)
    {
        if (Interlocked.Increment(ref present) > mostAtOnce)
        {
            Interlocked.Decrement(ref present);
            throw new TooManyRequestsException(RateLimits.Message);
        }
        try
        {
            await turns.WaitAsync(ct);
        }
        catch
        {
            Interlocked.Decrement(ref present);
            throw;
        }
        return new Turn(this);
    }

    void Leave()
    {
        turns.Release();
        Interlocked.Decrement(ref present);
    }

    internal readonly struct Turn(PasswordHasher hasher) : IDisposable
    {
        public void Dispose() => hasher.Leave();
    }
}
