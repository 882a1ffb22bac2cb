using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;
using Portal.Server.Wire;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Storage;

/// <summary>Issue 13, item 9: a copy of the database alone gives away no Data Protection key and no API secret.</summary>
[Collection(ServerCollection.Name)]
public sealed class KeyRingTests(PortalServer server)
{
    /// <summary>The key ring as the database holds it, read by a process that has only the given key file.</summary>
    sealed class Copied(IReadOnlyCollection<XElement> rows) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => rows;
        public void StoreElement(XElement element, string friendlyName) { }
    }

    sealed class Kept : IXmlRepository
    {
        public List<XElement> Rows { get; } = [];
        public IReadOnlyCollection<XElement> GetAllElements() => Rows;
        public void StoreElement(XElement element, string friendlyName) => Rows.Add(element);
    }

    async Task<List<string>> KeyRows()
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDb>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    IDataProtector ReaderWith(string keyFile, IReadOnlyCollection<XElement> rows)
    {
        var services = new ServiceCollection();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeyFile"] = keyFile }).Build();
        services.AddDataProtection().SetApplicationName("Portal").ProtectKeysWithPortalKey(config).DisableAutomaticKeyGeneration();
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new Copied(rows));
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-test");
    }

    [Fact]
    public async Task The_key_ring_in_the_database_is_encrypted_with_the_key_file()
    {
        var protectedText = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-test").Protect("totp secret");
        var rows = await KeyRows();
        Assert.NotEmpty(rows);
        foreach (var xml in rows)
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("encryptedSecret", xml);
        }
        var keyFile = Path.Combine(server.DataFolder, "keyring.key");
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        var elements = rows.Select(XElement.Parse).ToList();
        Assert.Equal("totp secret", ReaderWith(keyFile, elements).Unprotect(protectedText));

        // The same database without the key file: nothing protected can be read.
        var other = Path.Combine(server.DataFolder, "other-keyring.key");
        Assert.ThrowsAny<CryptographicException>(() => ReaderWith(other, elements).Unprotect(protectedText));
    }

    [Fact]
    public void Keys_stored_unencrypted_by_an_earlier_version_are_still_read()
    {
        var earlier = new Kept();
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Portal");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = earlier);
        var old = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-test").Protect("old secret");
        Assert.Contains("<masterKey", earlier.Rows.Single().ToString());
        Assert.Equal("old secret", ReaderWith(Path.Combine(server.DataFolder, "keyring.key"), earlier.Rows).Unprotect(old));
    }

    [Fact]
    public async Task The_generated_api_secret_is_not_stored_in_plain_text()
    {
        var keys = server.Services.GetRequiredService<ApiKeys>();
        var generated = (await keys.Generated(CancellationToken.None))!;
        Assert.Equal(generated.SecretAccessKey, await keys.SecretOf(generated.AccessKeyId, CancellationToken.None));
        await using var scope = server.Services.CreateAsyncScope();
        var settings = await scope.ServiceProvider.GetRequiredService<PortalDb>().Settings.Select(s => s.Value).ToListAsync();
        Assert.DoesNotContain(settings, v => v.Contains(generated.SecretAccessKey));
    }

    [Fact]
    public async Task An_api_secret_stored_in_plain_text_by_an_earlier_version_still_works_and_is_encrypted_at_start()
    {
        var keys = server.Services.GetRequiredService<ApiKeys>();
        var generated = (await keys.Generated(CancellationToken.None))!;
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PortalDb>().Settings.Where(s => s.Key == ApiKeys.GeneratedKeySetting)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, $"{generated.AccessKeyId}:{generated.SecretAccessKey}"));
        Assert.Equal(generated.SecretAccessKey, await keys.SecretOf(generated.AccessKeyId, CancellationToken.None));
        var (again, created) = await keys.EnsureGenerated(CancellationToken.None);
        Assert.False(created);
        Assert.Equal(generated.SecretAccessKey, again.SecretAccessKey);
        await using var check = server.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<PortalDb>().Settings.SingleAsync(s => s.Key == ApiKeys.GeneratedKeySetting);
        Assert.DoesNotContain(generated.SecretAccessKey, stored.Value);
    }
}
