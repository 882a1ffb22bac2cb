using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Branding;

/// <summary>The UiCustomizations rows: one per pool and app client, or per pool for ALL clients. Cognito's part (CSS, logo)
/// and Portal's theme share the row; each is read with Cognito's fallback from a client to ALL.</summary>
public sealed class UiCustomizationStore(PortalDb db, AppClientStore clients)
{
    public const string All = "ALL";

    /// <summary>"ALL" when <paramref name="clientId"/> is omitted or ALL; otherwise the id of an app client of the pool.</summary>
    public async Task<string> ClientKey(string userPoolId, string? clientId, CancellationToken ct)
    {
        if (clientId is null or All) return All;
        await clients.Get(userPoolId, clientId, ct);
        return clientId;
    }

    public Task<UiCustomizationRow?> Find(string userPoolId, string clientKey, CancellationToken ct) =>
        db.UiCustomizations.FirstOrDefaultAsync(r => r.UserPoolId == userPoolId && r.ClientId == clientKey, ct);

    /// <summary>The row to change, created (not yet saved) when missing. Its LastModifiedAt moves forward on every change,
    /// by at least a millisecond, because it is also the CSS version Cognito reports.</summary>
    public async Task<UiCustomizationRow> Change(string userPoolId, string clientKey, DateTimeOffset now, CancellationToken ct)
    {
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        var row = await Find(userPoolId, clientKey, ct);
        if (row is null)
        {
            row = new UiCustomizationRow { UserPoolId = userPoolId, ClientId = clientKey, CreatedAt = now, LastModifiedAt = now };
            db.UiCustomizations.Add(row);
            return row;
        }
        row.LastModifiedAt = now > row.LastModifiedAt ? now : row.LastModifiedAt.AddMilliseconds(1);
        return row;
    }

    /// <summary>The client's row when it has Cognito settings (CSS or logo), else the pool's ALL row.</summary>
    public async Task<UiCustomizationRow?> Cognito(string userPoolId, string clientKey, CancellationToken ct)
    {
        var own = clientKey == All ? null : await Find(userPoolId, clientKey, ct);
        return own is { Css: not null } or { ImageKey: not null } ? own : await Find(userPoolId, All, ct);
    }

    /// <summary>The client's row when it has a theme, else the pool's ALL row.</summary>
    public async Task<UiCustomizationRow?> Themed(string userPoolId, string clientKey, CancellationToken ct)
    {
        var own = clientKey == All ? null : await Find(userPoolId, clientKey, ct);
        return own is not null && HasTheme(own) ? own : await Find(userPoolId, All, ct);
    }

    public static bool HasTheme(UiCustomizationRow row) => !string.IsNullOrWhiteSpace(row.Theme) && row.Theme.Trim() != "{}";

    public static HostedUiTheme ReadTheme(UiCustomizationRow row) =>
        string.IsNullOrWhiteSpace(row.Theme) ? new() : JsonSerializer.Deserialize<HostedUiTheme>(row.Theme, CognitoJson.Options) ?? new();

    public static void WriteTheme(UiCustomizationRow row, HostedUiTheme theme) =>
        row.Theme = JsonSerializer.Serialize(theme, CognitoJson.Options);

    /// <summary>Changes with every set: the time of the last change, to the millisecond.</summary>
    public static string CssVersion(UiCustomizationRow row) => row.LastModifiedAt.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public static UICustomizationType Describe(UiCustomizationRow row, Func<string, string> assetUrl) => new()
    {
        UserPoolId = row.UserPoolId,
        ClientId = row.ClientId,
        CSS = row.Css,
        ImageUrl = row.ImageKey is null ? null : assetUrl(row.ImageKey),
        CSSVersion = CssVersion(row),
        CreationDate = row.CreatedAt,
        LastModifiedDate = row.LastModifiedAt,
    };
}
