using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Server.Tls;

/// <summary>A small certificate authority for one development machine: made on first start (ECDSA P-256, its
/// private key in a file only this user can read, never logged), it issues a server certificate per TLS server name
/// (SNI) on demand: <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c> and any <c>{domain}.localhost</c>, so each pool
/// domain gets a certificate browsers accept (they refuse a wildcard directly under <c>localhost</c>). The CA is
/// name-constrained to <c>localhost</c> and loopback addresses: trusting it cannot let it vouch for any other site.</summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "dev-ca.crt";
    public const string KeyFileName = "dev-ca.key";
    /// <summary>Leaves issued per process are kept at most this many (names under *.localhost are unbounded).</summary>
    const int MaxLeaves = 256;
    static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(90);

    readonly X509Certificate2 authority;
    readonly TimeProvider clock;
    readonly ConcurrentDictionary<string, X509Certificate2> leaves = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>One key for every server certificate of this process, so that a client pinning keys (chromium's
    /// <c>--ignore-certificate-errors-spki-list</c>) names all of them with one hash. Never stored.</summary>
    readonly ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    LocalCertificateAuthority(X509Certificate2 authority, string certificatePath, bool created, TimeProvider clock)
    {
        this.authority = authority;
        this.clock = clock;
        CertificatePath = certificatePath;
        Created = created;
    }

    /// <summary>The CA certificate (PEM) to trust: <c>NODE_EXTRA_CA_CERTS</c>, the browser's or the OS's trust store.</summary>
    public string CertificatePath { get; }
    /// <summary>Whether this start made the CA (rather than reading the one stored by an earlier start).</summary>
    public bool Created { get; }
    /// <summary>The CA certificate, without its private key.</summary>
    public X509Certificate2 Certificate => X509CertificateLoader.LoadCertificate(authority.RawData);

    /// <summary>Reads the CA stored in <paramref name="folder"/>, or makes and stores one when there is none (or it expired).</summary>
    public static LocalCertificateAuthority LoadOrCreate(string folder, TimeProvider clock)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.GetFullPath(Path.Combine(folder, CertificateFileName));
        var keyPath = Path.GetFullPath(Path.Combine(folder, KeyFileName));
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var stored = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (stored.NotAfter.ToUniversalTime() > clock.GetUtcNow().UtcDateTime.AddDays(1))
                return new LocalCertificateAuthority(stored, certificatePath, created: false, clock);
            stored.Dispose();
        }
        var made = Create(clock);
        using (var key = made.GetECDsaPrivateKey()!)
            Write(keyPath, key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(certificatePath, made.ExportCertificatePem(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return new LocalCertificateAuthority(made, certificatePath, created: true, clock);
    }

    static void Write(string path, string content, UnixFileMode mode)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(content);
        File.Move(temporary, path, overwrite: true);
    }

    static X509Certificate2 Create(TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN=Portal Development CA ({Environment.MachineName}), O=Portal (development only)"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(NameConstraints());
        var now = clock.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now + CaLifetime);
    }

    /// <summary>RFC 5280 name constraints: only <c>localhost</c> and names under it, 127.0.0.0/8 and ::1.</summary>
    static X509Extension NameConstraints()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            using (writer.PushSequence())
                writer.WriteCharacterString(UniversalTagNumber.IA5String, "localhost", new Asn1Tag(TagClass.ContextSpecific, 2));
            using (writer.PushSequence())
                writer.WriteOctetString([127, 0, 0, 0, 255, 0, 0, 0], new Asn1Tag(TagClass.ContextSpecific, 7));
            using (writer.PushSequence())
                writer.WriteOctetString([.. IPAddress.IPv6Loopback.GetAddressBytes(), .. Enumerable.Repeat((byte)255, 16)], new Asn1Tag(TagClass.ContextSpecific, 7));
        }
        return new X509Extension("2.5.29.30", writer.Encode(), critical: true);
    }

    /// <summary>The certificate for a TLS server name: its own for <c>localhost</c> and <c>{name}.localhost</c>, else
    /// (no SNI, an IP address, another name) the one for <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c>.</summary>
    public X509Certificate2 ServerCertificate(string? serverName)
    {
        var name = serverName?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(name) || !IsLocalhostName(name)) name = "localhost";
        if (leaves.TryGetValue(name, out var cached) && cached.NotAfter.ToUniversalTime() > clock.GetUtcNow().UtcDateTime.AddDays(1))
            return cached;
        if (leaves.Count >= MaxLeaves) leaves.Clear();
        return leaves[name] = Issue(name);
    }

    /// <summary><c>localhost</c> or one or more DNS labels under it.</summary>
    public static bool IsLocalhostName(string name) =>
        name == "localhost" || (name.EndsWith(".localhost", StringComparison.Ordinal) && name.Length <= 253
            && name[..^".localhost".Length].Split('.').All(label => label.Length is > 0 and <= 63
                && label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && label[0] != '-' && label[^1] != '-'));

    X509Certificate2 Issue(string name)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={name}"), serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        if (name == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
        }
        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = clock.GetUtcNow();
        var notAfter = now + LeafLifetime < authority.NotAfter.ToUniversalTime() ? now + LeafLifetime : authority.NotAfter.ToUniversalTime();
        using var issued = request.Create(authority, now.AddHours(-1), notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(serverKey);
    }

    /// <summary>base64(SHA-256(SubjectPublicKeyInfo)): what chromium's <c>--ignore-certificate-errors-spki-list</c> and
    /// HTTP public key pinning name a key by.</summary>
    public static string SpkiSha256(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary><see cref="SpkiSha256"/> of the key every server certificate of this process has.</summary>
    public string ServerKeySpkiSha256 => Convert.ToBase64String(SHA256.HashData(serverKey.ExportSubjectPublicKeyInfo()));

    public void Dispose()
    {
        serverKey.Dispose();
        foreach (var leaf in leaves.Values) leaf.Dispose();
        authority.Dispose();
    }
}
