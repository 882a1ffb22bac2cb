using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sts;

/// <summary>A real OpenID Connect issuer over HTTPS on loopback (discovery document and JWKS), with a self-signed
/// certificate the test server pins: what an IAM OIDC provider points at.</summary>
public sealed class OidcIssuer : IDisposable
{
    readonly WebApplication app;
    public RsaSecurityKey Key { get; } = new(RSA.Create(2048)) { KeyId = "oidc-test" };
    public X509Certificate2 Certificate { get; }
    public int Port { get; } = PortalServer.FreePort();
    public string Url => $"https://localhost:{Port}";

    public OidcIssuer()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port, l => l.UseHttps(Certificate)));
        app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string> { ["issuer"] = Url, ["jwks_uri"] = Url + "/keys" }));
        app.MapGet("/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(Key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = Key.KeyId, n = jwk.N, e = jwk.E } } });
        });
        app.StartAsync().GetAwaiter().GetResult();
    }

    public string Token(string subject, string audience, DateTime now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Url,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", subject)]),
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddMinutes(10),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });

    public void Dispose()
    {
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
        Certificate.Dispose();
    }
}
