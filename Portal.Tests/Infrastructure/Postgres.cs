using System.Diagnostics;

namespace Portal.Tests.Infrastructure;

/// <summary>A real PostgreSQL for the storage tests: the one named by PORTAL_TEST_POSTGRES, or a throwaway
/// cluster (Debian's postgresql binaries) started on a free port and removed afterwards.</summary>
public sealed class Postgres : IAsyncLifetime
{
    string? dir;
    string? binaries;
    int[] taken = [];
    public string ConnectionString { get; private set; } = "";

    /// <summary>A started cluster, for a test server whose field initializers run before its base constructor starts Portal.</summary>
    /// <param name="taken">Ports already promised to someone else (a test server's own, not yet listening).</param>
    public static Postgres Started(params int[] taken)
    {
        var postgres = new Postgres { taken = taken };
        postgres.InitializeAsync().GetAwaiter().GetResult();
        return postgres;
    }

    /// <summary><paramref name="settings"/> pointing Portal at a new database of this cluster named <paramref name="database"/>.</summary>
    public IDictionary<string, string?> ForPortal(IDictionary<string, string?> settings, string database)
    {
        settings["Portal:Storage:Provider"] = "PostgreSQL";
        settings["Portal:Storage:ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ToString();
        return settings;
    }

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("PORTAL_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(given))
        {
            ConnectionString = given;
            return;
        }
        binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        if (binaries is null)
            throw new InvalidOperationException("PostgreSQL is not installed: run the README's test command (it installs Debian's postgresql), or set PORTAL_TEST_POSTGRES.");
        dir = Path.Combine(Path.GetTempPath(), "portal-pg-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(dir);
        var asRoot = Environment.UserName == "root";
        if (asRoot) await Run("chown", "postgres:postgres", dir);
        await AsPostgres(asRoot, $"{binaries}/initdb", "-D", $"{dir}/data", "-A", "trust", "-U", "postgres", "--no-sync");
        // A free port can be taken by another test's server between our asking and PostgreSQL's binding: try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = PortalServer.FreePort();
            if (taken.Contains(port)) continue;
            try
            {
                await AsPostgres(asRoot, $"{binaries}/pg_ctl", "-D", $"{dir}/data", "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "-l", $"{dir}/log", "-w", "-t", "180", "start");
                ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=portal";
                return;
            }
            catch (InvalidOperationException e)
            {
                var log = File.Exists($"{dir}/log") ? File.ReadAllText($"{dir}/log") : "";
                if (attempt == 3) throw new InvalidOperationException($"{e.Message}\nThe server's log:\n{log}", e);
                Console.Error.WriteLine($"PostgreSQL did not start on port {port} (attempt {attempt}), trying another: {log}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        // Once: a fixture may be disposed both synchronously and asynchronously.
        if (Interlocked.Exchange(ref dir, null) is not { } stopping || binaries is null) return;
        await AsPostgres(Environment.UserName == "root", $"{binaries}/pg_ctl", "-D", $"{stopping}/data", "-m", "immediate", "stop");
        try { Directory.Delete(stopping, true); } catch (IOException) { }
    }

    // initdb refuses to run as root; as root we run the server as Debian's postgres user.
    static Task AsPostgres(bool asRoot, params string[] command) =>
        asRoot ? Run("runuser", ["-u", "postgres", "--", .. command]) : Run(command[0], command[1..]);

    static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await err}");
    }
}
