using System.Diagnostics;
using System.Globalization;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>A real external OpenID provider (npm oidc-provider, Portal.Tests/compat/idp/oidc-idp.js) in its own node
/// process: any login name signs in, its sub is that name. Stopped by closing its stdin, or killed.</summary>
public sealed class OidcIdp : IAsyncDisposable
{
    readonly Process process;
    public int Port { get; }
    public string Issuer => $"http://127.0.0.1:{Port}";
    public string ClientId { get; }
    public string ClientSecret { get; }

    OidcIdp(Process process, int port, string clientId, string clientSecret) => (this.process, Port, ClientId, ClientSecret) = (process, port, clientId, clientSecret);

    public static async Task<OidcIdp> Start(IEnumerable<string> redirectUris, string clientId = "portal", string clientSecret = "portal-idp-secret")
    {
        var port = PortalServer.FreePort();
        var compat = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat");
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = compat, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "idp/oidc-idp.js", "--port", port.ToString(CultureInfo.InvariantCulture), "--client-id", clientId, "--client-secret", clientSecret })
            info.ArgumentList.Add(a);
        foreach (var uri in redirectUris)
        {
            info.ArgumentList.Add("--redirect-uri");
            info.ArgumentList.Add(uri);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var ready = new TaskCompletionSource();
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("oidc-idp listening") == true) ready.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var done = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (done != ready.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"oidc-idp did not start (is npm ci done in Portal.Tests/compat?): {errors}");
        }
        return new OidcIdp(process, port, clientId, clientSecret);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await Task.CompletedTask;
        process.Dispose();
    }
}
