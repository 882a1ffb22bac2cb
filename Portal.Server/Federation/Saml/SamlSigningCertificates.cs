using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;

namespace Portal.Server.Federation.Saml;

/// <summary>
/// A pool's SAML signing certificate (GetSigningCertificate, SP metadata, signed AuthnRequests): self-signed RSA-2048,
/// valid ten years as Cognito's, made on first use; the private key stored as PKCS#8 protected with Data Protection.
/// </summary>
public sealed class SamlSigningCertificates(PortalDb db, IDataProtectionProvider dataProtection, TimeProvider clock)
{
    readonly IDataProtector protector = dataProtection.CreateProtector("Portal.Saml.SigningCertificate");

    sealed record Stored(string Certificate, string PrivateKey);

    public static string Key(string userPoolId) => "saml-signing:" + userPoolId;

    /// <summary>A SAML provider with EncryptedResponses shows, as Cognito's does, the certificate IdPs encrypt
    /// assertions for (ActiveEncryptionCertificate: the pool's certificate, base64 DER). Call before changing anything:
    /// the pool's certificate may be made and saved here.</summary>
    public async Task AddActiveEncryptionCertificate(string userPoolId, string providerType, Dictionary<string, string> details, CancellationToken ct)
    {
        details.Remove("ActiveEncryptionCertificate");
        if (providerType != "SAML" || details.GetValueOrDefault("EncryptedResponses") != "true") return;
        details["ActiveEncryptionCertificate"] = Convert.ToBase64String((await For(userPoolId, ct)).RawData);
    }

    /// <summary>The certificate with its private key; made and saved when the pool has none yet.</summary>
    public async Task<X509Certificate2> For(string userPoolId, CancellationToken ct)
    {
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key(userPoolId), ct);
        if (row is null)
        {
            row = Create(userPoolId);
            try
            {
                // Callers ask for the certificate before changing anything, so this save holds only the certificate.
                db.Settings.Add(row);
                await db.SaveChangesAsync(ct);
                db.Entry(row).State = EntityState.Detached;
            }
            catch (DbUpdateException)
            {
                // Another instance made the pool's certificate at the same moment: use that one.
                db.ChangeTracker.Clear();
                row = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == Key(userPoolId), ct);
            }
        }
        var stored = JsonSerializer.Deserialize<Stored>(row.Value)!;
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.Unprotect(Convert.FromBase64String(stored.PrivateKey)), out _);
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(stored.Certificate));
        return certificate.CopyWithPrivateKey(rsa);
    }

    /// <summary>The certificate as GetSigningCertificate answers it: base64 DER, without PEM armour.</summary>
    public async Task<string> Public(string userPoolId, CancellationToken ct)
    {
        using var certificate = await For(userPoolId, ct);
        return Convert.ToBase64String(certificate.RawData);
    }

    SettingRow Create(string userPoolId)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={userPoolId}, O=Portal", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var stored = new Stored(Convert.ToBase64String(certificate.RawData), Convert.ToBase64String(protector.Protect(rsa.ExportPkcs8PrivateKey())));
        return new SettingRow { Key = Key(userPoolId), Value = JsonSerializer.Serialize(stored) };
    }
}
