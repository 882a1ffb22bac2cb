using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The refresh Amplify v6 and the current SDKs use: new ID and access tokens, and with the client's refresh token
/// rotation a new refresh token; the same checks as REFRESH_TOKEN_AUTH, the client proving itself with its secret.</summary>
sealed class GetTokensFromRefreshToken(AppClientStore clients, UserPoolStore pools, Tokens tokens, PortalDb db, Devices devices)
    : IOperation<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>
{
    public async Task<GetTokensFromRefreshTokenResponse> Handle(GetTokensFromRefreshTokenRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        caller.CheckClientSecret(request.ClientSecret);
        var (row, user) = await tokens.Live(request.RefreshToken!, caller.Client.Row.ClientId, ct);
        await devices.CheckRefresh(row, request.DeviceKey, ct);
        var grant = new TokenGrant(caller.Pool, caller.Client, user, row.IssuedAt, Tokens.ScopesOf(request.RefreshToken!))
        {
            TriggerSource = "TokenGeneration_RefreshTokens", ClientMetadata = request.ClientMetadata,
        };
        var result = await tokens.Renew(grant, row, ct);
        await db.SaveChangesAsync(ct);
        return new GetTokensFromRefreshTokenResponse { AuthenticationResult = result };
    }
}
