using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Portal.Server.Tls;

namespace Portal.Tests.Tls;

/// <summary>Issue 14: the development certificates Portal serves HTTPS with, made by a local CA kept in the data folder.</summary>
public sealed class LocalCertificateAuthorityTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "portal-tests", "ca-" + Guid.NewGuid().ToString("n"));
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    static IReadOnlyList<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();

    static IReadOnlyList<string> IpAddresses(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()).ToList();

    X509Chain ChainTo(X509Certificate2 root)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        return chain;
    }

    [Fact]
    public void Each_localhost_name_gets_its_own_server_certificate_chained_to_the_stored_ca()
    {
        using var ca = LocalCertificateAuthority.LoadOrCreate(folder, clock);
        Assert.True(ca.Created);
        Assert.Equal(Path.Combine(Path.GetFullPath(folder), "dev-ca.crt"), ca.CertificatePath);
        using var root = X509CertificateLoader.LoadCertificateFromFile(ca.CertificatePath);
        Assert.False(root.HasPrivateKey);

        using var shop = ca.ServerCertificate("shop.localhost");
        Assert.True(shop.HasPrivateKey);
        Assert.Equal(["shop.localhost"], DnsNames(shop));
        Assert.True(shop.MatchesHostname("shop.localhost"));
        Assert.False(shop.MatchesHostname("other.localhost"));
        using (var chain = ChainTo(root))
        {
            Assert.True(chain.Build(shop), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
            Assert.Equal(root.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);
        }
        // Issued once per name, then reused.
        Assert.Same(shop, ca.ServerCertificate("SHOP.localhost."));

        // No SNI, an IP address or a name outside localhost: the certificate for localhost and the loopback addresses.
        foreach (var name in new[] { null, "", "127.0.0.1", "portal.example.com", "a.b..localhost" })
        {
            var fallback = ca.ServerCertificate(name);
            Assert.Equal(["localhost"], DnsNames(fallback));
            Assert.Equal(["127.0.0.1", "::1"], IpAddresses(fallback));
            Assert.True(fallback.MatchesHostname("127.0.0.1"));
            using var chain = ChainTo(root);
            Assert.True(chain.Build(fallback));
        }
        // All server certificates of a run share one key, so one pinned hash names them all.
        Assert.Equal(ca.ServerKeySpkiSha256, LocalCertificateAuthority.SpkiSha256(shop));
        Assert.Equal(ca.ServerKeySpkiSha256, LocalCertificateAuthority.SpkiSha256(ca.ServerCertificate("localhost")));
        Assert.NotEqual(ca.ServerKeySpkiSha256, LocalCertificateAuthority.SpkiSha256(root));
    }

    [Fact]
    public void The_ca_key_is_readable_only_by_its_owner_and_the_ca_cannot_vouch_for_other_sites()
    {
        using var ca = LocalCertificateAuthority.LoadOrCreate(folder, clock);
        var keyPath = Path.Combine(folder, LocalCertificateAuthority.KeyFileName);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));

        // Someone holding the CA's key signs a certificate for another site: its name constraints refuse the chain.
        using var authority = X509Certificate2.CreateFromPemFile(ca.CertificatePath, keyPath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bank.example.com", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("bank.example.com");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var forged = request.Create(authority, clock.GetUtcNow().AddHours(-1), clock.GetUtcNow().AddDays(30), [1, 2, 3, 4]);
        using var root = X509CertificateLoader.LoadCertificateFromFile(ca.CertificatePath);
        using var chain = ChainTo(root);
        Assert.False(chain.Build(forged));
        Assert.Contains(chain.ChainStatus, s => s.Status.HasFlag(X509ChainStatusFlags.HasNotPermittedNameConstraint));
    }

    [Fact]
    public void A_restart_reuses_the_stored_ca_and_an_expired_one_is_replaced()
    {
        string firstThumbprint;
        using (var first = LocalCertificateAuthority.LoadOrCreate(folder, clock))
            firstThumbprint = first.Certificate.Thumbprint;
        var keyBefore = File.ReadAllText(Path.Combine(folder, LocalCertificateAuthority.KeyFileName));

        clock.Advance(TimeSpan.FromDays(30));
        using (var again = LocalCertificateAuthority.LoadOrCreate(folder, clock))
        {
            Assert.False(again.Created);
            Assert.Equal(firstThumbprint, again.Certificate.Thumbprint);
            Assert.Equal(keyBefore, File.ReadAllText(Path.Combine(folder, LocalCertificateAuthority.KeyFileName)));
            // What the restarted CA issues still chains to the certificate users trusted after the first start.
            using var trusted = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(folder, LocalCertificateAuthority.CertificateFileName));
            using var chain = ChainTo(trusted);
            Assert.True(chain.Build(again.ServerCertificate("demo.localhost")));
        }

        clock.Advance(TimeSpan.FromDays(3700));
        using var replaced = LocalCertificateAuthority.LoadOrCreate(folder, clock);
        Assert.True(replaced.Created);
        Assert.NotEqual(firstThumbprint, replaced.Certificate.Thumbprint);
        Assert.True(replaced.Certificate.NotAfter.ToUniversalTime() > clock.GetUtcNow().UtcDateTime.AddYears(9));
    }
}
