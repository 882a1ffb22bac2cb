using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Deletes the client with what only it used: its branding, risk configuration, sessions, refresh tokens and
/// authorization codes, all in the operation's one transaction.</summary>
sealed class DeleteUserPoolClient(PortalDb db, UserPoolStore pools, AppClientStore clients, ThreatProtection.RiskConfigurations risk)
    : IOperation<DeleteUserPoolClientRequest, DeleteUserPoolClientResponse>
{
    public async Task<DeleteUserPoolClientResponse> Handle(DeleteUserPoolClientRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var client = await clients.Get(pool.Row.Id, request.ClientId, ct);
        var id = client.Row.ClientId;
        await db.UiCustomizations.Where(u => u.UserPoolId == pool.Row.Id && u.ClientId == id).ExecuteDeleteAsync(ct);
        if (await db.RiskConfigurations.Where(r => r.UserPoolId == pool.Row.Id && r.ClientId == id).ExecuteDeleteAsync(ct) > 0)
            await risk.Changed(pool.Row.Id, ct);
        await db.AuthSessions.Where(s => s.ClientId == id).ExecuteDeleteAsync(ct);
        await db.RefreshTokens.Where(t => t.ClientId == id).ExecuteDeleteAsync(ct);
        await db.AuthorizationCodes.Where(c => c.ClientId == id).ExecuteDeleteAsync(ct);
        db.AppClients.Remove(client.Row);
        await db.SaveChangesAsync(ct);
        return new DeleteUserPoolClientResponse();
    }
}
