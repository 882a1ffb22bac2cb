using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Operations;

/// <summary>Cognito's classic branding for one app client or for ALL: CSS and logo are set together, as Cognito does
/// (what is omitted is removed); Portal's theme on the same row is kept.</summary>
sealed class SetUICustomization(PortalDb db, UserPoolStore pools, UiCustomizationStore customizations, CssPolicy cssPolicy,
    BrandingAssets assets, TimeProvider clock)
    : IOperation<SetUICustomizationRequest, SetUICustomizationResponse>
{
    public async Task<SetUICustomizationResponse> Handle(SetUICustomizationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (!await db.Domains.AnyAsync(d => d.UserPoolId == pool.Row.Id, ct))
            throw new InvalidParameterException("A domain must be associated with this user pool.");
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var css = cssPolicy.Sanitize(request.CSS);
        var imageKey = request.ImageFile is { Length: > 0 } image
            ? await assets.PutImage(image, "logo", LogoPolicy.MaxBytes, ct)
            : null;

        var row = await customizations.Change(pool.Row.Id, clientKey, clock.GetUtcNow(), ct);
        var previousImage = row.ImageKey;
        row.Css = css;
        row.ImageKey = imageKey;
        row.LastWrittenBy = ManagedLoginBrandings.ByUiCustomization;
        await db.SaveChangesAsync(ct);
        if (previousImage is not null && previousImage != imageKey) await assets.Release(previousImage, ct);
        return new SetUICustomizationResponse { UICustomization = UiCustomizationStore.Describe(row, assets.Url) };
    }
}
