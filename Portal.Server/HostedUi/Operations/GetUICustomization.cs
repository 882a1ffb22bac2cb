using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Operations;

/// <summary>The client's classic branding, else the pool's (ALL), as Cognito answers; an empty customization when neither is set.</summary>
sealed class GetUICustomization(UserPoolStore pools, UiCustomizationStore customizations, BrandingAssets assets)
    : IOperation<GetUICustomizationRequest, GetUICustomizationResponse>
{
    public async Task<GetUICustomizationResponse> Handle(GetUICustomizationRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var row = await customizations.Cognito(pool.Row.Id, clientKey, ct);
        return new GetUICustomizationResponse
        {
            UICustomization = row is null
                ? new UICustomizationType { UserPoolId = pool.Row.Id, ClientId = clientKey }
                : UiCustomizationStore.Describe(row, assets.Url),
        };
    }
}
