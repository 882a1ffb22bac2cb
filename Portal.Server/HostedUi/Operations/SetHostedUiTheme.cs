using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Operations;

/// <summary>Portal's theme for one app client or for ALL (portal-only, PortalAdmin.SetHostedUiTheme); the row's
/// Cognito CSS and logo are kept. A background image sent with it is checked and stored as an asset.</summary>
sealed class SetHostedUiTheme(PortalDb db, UserPoolStore pools, UiCustomizationStore customizations, ThemePolicy themes,
    BrandingAssets assets, TimeProvider clock)
    : IOperation<SetHostedUiThemeRequest, SetHostedUiThemeResponse>
{
    public async Task<SetHostedUiThemeResponse> Handle(SetHostedUiThemeRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var theme = themes.Normalize(request.Theme);
        if (request.BackgroundImageFile is { Length: > 0 } image)
            theme = theme with { BackgroundImageKey = await assets.PutImage(image, "background image", LogoPolicy.MaxBackgroundBytes, ct) };
        else if (theme.BackgroundImageKey is { } key && !await assets.Exists(key, ct))
            throw new InvalidParameterException($"The background image '{key}' does not exist.");

        var row = await customizations.Change(pool.Row.Id, clientKey, clock.GetUtcNow(), ct);
        var previousBackground = UiCustomizationStore.HasTheme(row) ? UiCustomizationStore.ReadTheme(row).BackgroundImageKey : null;
        UiCustomizationStore.WriteTheme(row, theme);
        row.LastWrittenBy = ManagedLoginBrandings.ByTheme;
        await db.SaveChangesAsync(ct);
        if (previousBackground is not null && previousBackground != theme.BackgroundImageKey) await assets.Release(previousBackground, ct);
        return new SetHostedUiThemeResponse { HostedUiTheme = Describe(row, theme, assets) };
    }

    internal static HostedUiThemeType Describe(UiCustomizationRow row, HostedUiTheme theme, BrandingAssets assets) => new()
    {
        UserPoolId = row.UserPoolId,
        ClientId = row.ClientId,
        Theme = theme,
        BackgroundImageUrl = theme.BackgroundImageKey is null ? null : assets.Url(theme.BackgroundImageKey),
        LastModifiedDate = row.LastModifiedAt,
        LastWrittenBy = row.LastWrittenBy,
        ManagedLoginBrandingId = row.ManagedLoginBrandingId,
    };
}
