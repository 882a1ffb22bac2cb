using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The look of a hosted page: the client's customization, else the pool's (ALL), else Portal's default.</summary>
public sealed class HostedUiBranding(PortalDb db)
{
    public sealed record Look(Branding Branding, string? DefaultLocale);

    public async Task<Look> For(HttpContext http, string domain, UserPoolStore.Pool pool, string? clientId, string? preview, CancellationToken ct)
    {
        var row = await Customization(pool.Row.Id, clientId, ct);
        var branding = new Branding { PageTitle = pool.Row.Name };
        if (row is null) return new Look(branding, null);
        var version = row.LastModifiedAt.ToUnixTimeSeconds();
        return new Look(branding with
        {
            CustomCssHref = string.IsNullOrEmpty(row.Css) ? null : $"/{domain}/ui.css?client_id={Uri.EscapeDataString(row.ClientId)}&v={version}",
            LogoUrl = row.ImageKey is null ? null : $"/assets/{Uri.EscapeDataString(row.ImageKey)}",
        }, null);
    }

    public async Task<UiCustomizationRow?> Customization(string userPoolId, string? clientId, CancellationToken ct) =>
        (clientId is null ? null : await db.UiCustomizations.AsNoTracking().FirstOrDefaultAsync(c => c.UserPoolId == userPoolId && c.ClientId == clientId, ct))
        ?? await db.UiCustomizations.AsNoTracking().FirstOrDefaultAsync(c => c.UserPoolId == userPoolId && c.ClientId == "ALL", ct);
}
