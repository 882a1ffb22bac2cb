using System.Diagnostics;
using System.Text;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>Portal as an operator runs it: its own process (<c>dotnet Portal.Server.dll</c>), configured by environment
/// variables, ready when it prints that it is running.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();
    readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Output { get { lock (output) return output.ToString(); } }
    public bool HasExited => process.HasExited;
    public int ProcessId => process.Id;
    public int ExitCode => process.ExitCode;

    /// <summary>The build output of Portal.Server beside these tests (same configuration).</summary>
    public static string BuildOutput
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            return Path.Combine(PortalServer.RepositoryRoot, "Portal.Server", "bin", configuration, "net10.0", "Portal.Server.dll");
        }
    }

    public PortalProcess(string dll, IDictionary<string, string> environment, int? port = null, string? workingDirectory = null)
    {
        Port = port ?? PortalServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["Urls"] = BaseUrl;
        start.Environment["Portal__PublicBaseUrl"] = BaseUrl;
        start.Environment["Portal__Https__LocalCertificate"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"Portal exited before it was running:\n{Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    readonly List<(string Text, TaskCompletionSource Seen)> watched = [];

    void Received(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.AppendLine(line);
            foreach (var (text, seen) in watched.Where(w => line.Contains(w.Text, StringComparison.Ordinal))) seen.TrySetResult();
        }
        if (line.Contains("Portal is running.", StringComparison.Ordinal)) running.TrySetResult();
    }

    /// <summary>Until the process prints a line containing <paramref name="text"/> (or has printed it already).</summary>
    public Task Printed(string text, TimeSpan within)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            if (output.ToString().Contains(text, StringComparison.Ordinal)) return Task.CompletedTask;
            watched.Add((text, seen));
        }
        return seen.Task.WaitAsync(within);
    }

    /// <summary>Until it prints that it is running (its port is open then), or fails when it exits first.</summary>
    public Task Running(TimeSpan within) => running.Task.WaitAsync(within);

    /// <summary>SIGTERM, as a service manager or an orchestrator stops it.</summary>
    public async Task Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public Task Exited(TimeSpan within) => process.WaitForExitAsync().WaitAsync(within);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
