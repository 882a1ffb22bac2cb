using System.Globalization;
using Microsoft.Extensions.Options;

namespace Portal.Server.ThreatProtection;

/// <summary>The <c>Portal:ThreatProtection</c> section of appsettings.json.</summary>
public sealed class ThreatProtectionOptions
{
    /// <summary>The Pwned Passwords range API (or a self-hosted mirror of it): <c>GET {url}/range/{first 5 hex of SHA-1}</c>.
    /// Empty: the offline corpus alone is asked.</summary>
    public string? PwnedPasswordsUrl { get; set; } = "https://api.pwnedpasswords.com";

    /// <summary>How long a range request may take before the offline corpus answers instead.</summary>
    public TimeSpan PwnedPasswordsTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The Pwned Passwords range API with k-anonymity: only the first 5 hex characters of the password's SHA-1 leave the
/// machine; the answer lists every known suffix of that range with its breach count ("SUFFIX:COUNT" lines), and with
/// <c>Add-Padding: true</c> also made-up suffixes with count 0, which mean nothing and are skipped.
/// </summary>
public sealed class PwnedPasswordsRange(HttpClient http, IOptions<ThreatProtectionOptions> options)
{
    public const string HttpClientName = "PwnedPasswords";

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.PwnedPasswordsUrl);

    /// <summary>How many times the password with this SHA-1 was seen in breaches (0: never). Throws when the API cannot
    /// answer in time or answers something else than a range.</summary>
    public async Task<int> Count(byte[] sha1, CancellationToken ct)
    {
        var hex = Convert.ToHexString(sha1);
        var url = $"{options.Value.PwnedPasswordsUrl!.TrimEnd('/')}/range/{hex[..5]}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.PwnedPasswordsTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Add-Padding", "true");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        var suffix = hex.AsSpan(5);
        foreach (var line in body.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon != 35) continue;
            if (!line.AsSpan(0, 35).Equals(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            return int.TryParse(line.AsSpan(36).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        }
        return 0;
    }
}
