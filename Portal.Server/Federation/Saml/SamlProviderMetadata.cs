using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Federation.Saml;

/// <summary>The metadata of a SAML provider from its ProviderDetails: MetadataFile as given, or MetadataURL fetched and kept
/// in the store (so every instance signs users in without fetching), refreshed after a few hours.</summary>
public sealed class SamlProviderMetadata(PortalDb db, SamlMetadataDownload download, TimeProvider clock, ILogger<SamlProviderMetadata> log)
{
    static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(6);

    sealed record Cached(string Xml, DateTimeOffset FetchedAt);

    static string Key(string url) => "saml-metadata:" + url;

    /// <summary>The metadata document of these details, fetched now when it is a URL (for Create/UpdateIdentityProvider and
    /// the portal's summary). <paramref name="keep"/> adds the fetched copy to the unit of work.</summary>
    public async Task<(SamlMetadata Metadata, string Xml)> Read(IReadOnlyDictionary<string, string> details, bool keep, CancellationToken ct)
    {
        var file = details.GetValueOrDefault("MetadataFile");
        var url = details.GetValueOrDefault("MetadataURL");
        if (!string.IsNullOrWhiteSpace(file) && !string.IsNullOrWhiteSpace(url))
            throw new InvalidParameterException("Give either MetadataFile or MetadataURL, not both.", "providerDetails.MetadataFile");
        if (!string.IsNullOrWhiteSpace(file)) return (SamlMetadata.Parse(file, clock.GetUtcNow()), file);
        if (string.IsNullOrWhiteSpace(url)) throw new InvalidParameterException("A SAML provider needs MetadataFile or MetadataURL in ProviderDetails.", "providerDetails.MetadataFile");
        var xml = await download.Fetch(url.Trim(), ct);
        var metadata = SamlMetadata.Parse(xml, clock.GetUtcNow());
        if (keep) await Keep(url.Trim(), xml, ct);
        return (metadata, xml);
    }

    /// <summary>The metadata a sign-in checks against: the stored copy of a MetadataURL, refreshed when old (a failed
    /// refresh keeps the last good copy).</summary>
    public async Task<SamlMetadata> For(IdentityProviderRow provider, CancellationToken ct)
    {
        var details = IdentityProviders.ProviderDetails(provider);
        if (details.GetValueOrDefault("MetadataFile") is { Length: > 0 } file) return SamlMetadata.Parse(file, clock.GetUtcNow());
        var url = details.GetValueOrDefault("MetadataURL")?.Trim();
        if (string.IsNullOrEmpty(url)) throw new InvalidParameterException($"The SAML provider {provider.ProviderName} has no metadata.");
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == Key(url), ct);
        var cached = row is null ? null : JsonSerializer.Deserialize<Cached>(row.Value);
        if (cached is not null && clock.GetUtcNow() - cached.FetchedAt < RefreshAfter) return SamlMetadata.Parse(cached.Xml, clock.GetUtcNow());
        try
        {
            var xml = await download.Fetch(url, ct);
            var metadata = SamlMetadata.Parse(xml, clock.GetUtcNow());
            await Keep(url, xml, ct);
            await db.SaveChangesAsync(ct);
            return metadata;
        }
        catch (Exception e) when (cached is not null && e is CognitoException or DbUpdateException)
        {
            log.LogWarning("SAML metadata of {Provider} could not be refreshed from {Url}; using the copy of {FetchedAt}: {Reason}",
                provider.ProviderName, url, cached.FetchedAt, e.Message);
            return SamlMetadata.Parse(cached.Xml, clock.GetUtcNow());
        }
    }

    async Task Keep(string url, string xml, CancellationToken ct)
    {
        var value = JsonSerializer.Serialize(new Cached(xml, clock.GetUtcNow()));
        var row = db.Settings.Local.FirstOrDefault(s => s.Key == Key(url)) ?? await db.Settings.FirstOrDefaultAsync(s => s.Key == Key(url), ct);
        if (row is null) db.Settings.Add(new SettingRow { Key = Key(url), Value = value });
        else row.Value = value;
    }
}
