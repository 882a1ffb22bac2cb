using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Admin.Operations;

/// <summary>The published logo's bytes (client's, else the pool's ALL), so the branding editor can send it again with
/// SetUICustomization, which removes a logo it is not given.</summary>
sealed class GetBrandingLogo(UserPoolStore pools, UiCustomizationStore customizations, IBlobStore blobs)
    : IOperation<GetBrandingLogoRequest, GetBrandingLogoResponse>
{
    public async Task<GetBrandingLogoResponse> Handle(GetBrandingLogoRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var row = await customizations.Cognito(pool.Row.Id, clientKey, ct);
        if (row?.ImageKey is not { } key || await blobs.Get(key, ct) is not { } blob) return new GetBrandingLogoResponse();
        return new GetBrandingLogoResponse { ImageFile = blob.Bytes, LogoKey = key, ContentType = blob.ContentType };
    }
}
