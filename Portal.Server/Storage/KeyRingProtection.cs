using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Portal.Server.Storage;

/// <summary><c>Portal:DataProtection</c>: what encrypts the Data Protection key ring stored in the database. A certificate
/// when <c>CertificatePath</c> is set, otherwise a key file (default <c>{Storage:DataFolder}/keyring.key</c>, made on first
/// start). Instances sharing a database must share the key file or the certificate.</summary>
public sealed class KeyRingOptions
{
    public string? KeyFile { get; set; }
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
}

/// <summary>The key file's 256-bit key, read (or created, readable by the owner only) once.</summary>
public sealed class KeyRingKey(IOptions<KeyRingOptions> options, IOptions<StorageOptions> storage, IHostEnvironment? environment = null)
{
    readonly Lazy<byte[]> key = new(() => Load(Path.Combine(environment?.ContentRootPath ?? Directory.GetCurrentDirectory(),
        options.Value.KeyFile is { Length: > 0 } file ? file : Path.Combine(storage.Value.DataFolder, "keyring.key"))));

    public byte[] Value => key.Value;

    static byte[] Load(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var created = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) created.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, created);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another instance made it first: use theirs.
            }
        }
        var bytes = Convert.FromBase64String(File.ReadAllText(path).Trim());
        if (bytes.Length != 32) throw new InvalidOperationException($"The Data Protection key file {path} does not hold a 256-bit key (base64).");
        return bytes;
    }
}

/// <summary>Encrypts each Data Protection key with the key file's key (AES-256-GCM) before it is stored in the database.</summary>
public sealed class KeyFileXmlEncryptor(KeyRingKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(key.Value, tag.Length)) aes.Encrypt(nonce, plain, cipher, tag);
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with the key file (Portal:DataProtection:KeyFile). "),
            new XElement("value", Convert.ToBase64String([.. nonce, .. tag, .. cipher])));
        return new EncryptedXmlInfo(element, typeof(KeyFileXmlDecryptor));
    }
}

/// <summary>Reads a key encrypted by <see cref="KeyFileXmlEncryptor"/>; without the same key file it fails.</summary>
public sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var data = Convert.FromBase64String((string?)encryptedElement.Element("value")
                                            ?? throw new CryptographicException("The encrypted key has no value."));
        if (data.Length < 28) throw new CryptographicException("The encrypted key is too short.");
        var plain = new byte[data.Length - 28];
        using (var aes = new AesGcm(services.GetRequiredService<KeyRingKey>().Value, 16))
            aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28), data.AsSpan(12, 16), plain);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}

public static class KeyRingProtection
{
    /// <summary>New keys are stored encrypted; keys stored unencrypted by earlier versions are still read.</summary>
    public static IDataProtectionBuilder ProtectKeysWithPortalKey(this IDataProtectionBuilder dataProtection, IConfiguration portal)
    {
        var section = portal.GetSection("DataProtection");
        var o = section.Get<KeyRingOptions>() ?? new();
        if (!string.IsNullOrEmpty(o.CertificatePath))
            return dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(o.CertificatePath, o.CertificatePassword));
        dataProtection.Services.Configure<KeyRingOptions>(section);
        dataProtection.Services.AddSingleton<KeyRingKey>();
        dataProtection.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(k => k.XmlEncryptor = new KeyFileXmlEncryptor(sp.GetRequiredService<KeyRingKey>())));
        return dataProtection;
    }
}
