using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Operations;

/// <summary>The client's theme, else the pool's (ALL), else an empty theme (Portal's default look).</summary>
sealed class GetHostedUiTheme(UserPoolStore pools, UiCustomizationStore customizations, BrandingAssets assets)
    : IOperation<GetHostedUiThemeRequest, GetHostedUiThemeResponse>
{
    public async Task<GetHostedUiThemeResponse> Handle(GetHostedUiThemeRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var row = await customizations.Themed(pool.Row.Id, clientKey, ct);
        return new GetHostedUiThemeResponse
        {
            HostedUiTheme = row is null || !UiCustomizationStore.HasTheme(row)
                ? new HostedUiThemeType { UserPoolId = pool.Row.Id, ClientId = clientKey, Theme = new HostedUiTheme() }
                : SetHostedUiTheme.Describe(row, UiCustomizationStore.ReadTheme(row), assets),
        };
    }
}
