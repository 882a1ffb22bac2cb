using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>A Portal that may fetch SAML metadata from loopback (Portal:Federation:AllowLoopbackMetadata, for the local
/// test IdP) and keeps its log lines for the tests; a pool with a hosted-UI domain; an IdP made in the test
/// (<see cref="SamlTestIdp"/>) and a real one (npm saml-idp, started on first use); a browser.</summary>
public sealed class SamlFixture : IAsyncLifetime
{
    public SamlServer Server { get; } = new();
    public Browser Browser { get; } = new();
    public SamlTestIdp TestIdp { get; } = new();
    public ICognito Cognito => Server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();
    public string PoolId { get; private set; } = "";
    public string Domain { get; } = "saml-" + Guid.NewGuid().ToString("n")[..8];
    public string Acs => Server.BaseUrl + "/saml2/idpresponse";
    public string Audience => "urn:amazon:cognito:sp:" + PoolId;
    SamlIdpProcess? realIdp;

    public sealed class SamlServer : PortalServer
    {
        public ConcurrentQueue<string> Log { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Portal:Federation:AllowLoopbackMetadata"] = "true",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l => l.AddProvider(new Capture(Log)));
        }

        sealed class Capture(ConcurrentQueue<string> log) : ILoggerProvider
        {
            public ILogger CreateLogger(string category) => new Logger(category, log);
            public void Dispose() { }
        }

        sealed class Logger(string category, ConcurrentQueue<string> log) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel level) => level >= LogLevel.Information;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
            {
                if (category.Contains("Federation")) log.Enqueue($"{level} {category}: {format(state, e)}");
            }
        }
    }

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        var pool = await Cognito.Send(new CreateUserPoolRequest { PoolName = "saml-" + Domain });
        PoolId = pool.UserPool!.Id!;
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = PoolId, Domain = Domain });
    }

    /// <summary>A SAML provider of the pool on the in-test IdP's metadata (file), and a confidential app client using it.</summary>
    public async Task<(string Provider, string ClientId, string Secret)> Provider(bool idpInit = false, bool cognitoToo = false,
        SamlTestIdp? idp = null)
    {
        var name = "Saml" + Guid.NewGuid().ToString("n")[..8];
        await Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = PoolId, ProviderName = name, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataFile"] = (idp ?? TestIdp).Metadata(), ["IDPInit"] = idpInit ? "true" : "false" },
            AttributeMapping = new()
            {
                ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", ["given_name"] = "givenName",
            },
        });
        var client = (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientName = "app-" + name, GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = cognitoToo ? ["COGNITO", name] : [name],
            CallbackURLs = ["https://app.example.test/cb"],
        })).UserPoolClient!;
        return (name, client.ClientId!, client.ClientSecret!);
    }

    /// <summary>npm saml-idp, started once for the tests that need a real IdP.</summary>
    public async Task<SamlIdpProcess> RealIdp()
    {
        realIdp ??= await SamlIdpProcess.Start(Acs, Audience);
        return realIdp;
    }

    public async Task DisposeAsync()
    {
        realIdp?.Dispose();
        TestIdp.Dispose();
        await Browser.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>npm saml-idp (Portal.Tests/compat/idp/saml-idp.js) as a child process on a free port.</summary>
public sealed class SamlIdpProcess : IDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();
    public string BaseUrl { get; }
    public string MetadataUrl => BaseUrl + "/metadata";
    public string Output => string.Join("\n", output);

    SamlIdpProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
    }

    /// <param name="encryptFor">The SP's certificate: the IdP then encrypts its assertions for it.</param>
    public static async Task<SamlIdpProcess> Start(string acsUrl, string audience, X509Certificate2? encryptFor = null)
    {
        var compat = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat");
        if (!Directory.Exists(Path.Combine(compat, "node_modules", "saml-idp")))
            throw new InvalidOperationException("npm saml-idp is not installed: run npm ci in Portal.Tests/compat (test.sh does).");
        var port = PortalServer.FreePort();
        List<string> arguments = ["idp/saml-idp.js", "--port", port.ToString(CultureInfo.InvariantCulture), "--acsUrl", acsUrl, "--audience", audience];
        if (encryptFor is not null)
        {
            var folder = Directory.CreateTempSubdirectory("saml-idp-sp-").FullName;
            var certificate = Path.Combine(folder, "sp-cert.pem");
            var publicKey = Path.Combine(folder, "sp-key.pub.pem");
            File.WriteAllText(certificate, encryptFor.ExportCertificatePem());
            using var rsa = encryptFor.GetRSAPublicKey()!;
            File.WriteAllText(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
            arguments.AddRange(["--encryptionCert", certificate, "--encryptionPublicKey", publicKey]);
        }
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = compat, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var idp = new SamlIdpProcess(process, $"http://127.0.0.1:{port}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) throw new InvalidOperationException("saml-idp exited: " + idp.Output);
            try
            {
                if ((await http.GetAsync(idp.MetadataUrl)).IsSuccessStatusCode) return idp;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        idp.Dispose();
        throw new TimeoutException("saml-idp did not answer: " + idp.Output);
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SamlCollection : ICollectionFixture<SamlFixture>
{
    public const string Name = "saml";
}
