using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

sealed class RevokeToken(AppClientStore clients, Tokens tokens, TokenRevocation revocation, PortalDb db)
    : IOperation<RevokeTokenRequest, RevokeTokenResponse>
{
    public async Task<RevokeTokenResponse> Handle(RevokeTokenRequest request, CancellationToken ct)
    {
        var client = await clients.Find(request.ClientId, ct) ?? throw UnauthorizedException.Client();
        if (client.Row.ClientSecret is { Length: > 0 } && !ClientSecrets.Matches(client.Row, request.ClientSecret))
            throw UnauthorizedException.Client();
        if (client.Settings.EnableTokenRevocation == false)
            throw new UnsupportedOperationException("Token revocation is not enabled for this client.");
        if (Jwt.TryRead(request.Token, out _)) throw new UnsupportedTokenTypeException("Only refresh tokens can be revoked.");

        var row = await tokens.FindRefreshToken(request.Token, ct);
        // As RFC 7009 answers, an unknown token is simply not valid any more.
        if (row is null) return new RevokeTokenResponse();
        if (row.ClientId != client.Row.ClientId) throw UnauthorizedException.Client();
        await revocation.RevokeFamily(row.OriginJti, ct);
        await db.SaveChangesAsync(ct);
        return new RevokeTokenResponse();
    }
}
