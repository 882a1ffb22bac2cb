using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

public sealed record ResetTestPoolRequest : ICognitoRequest<ResetTestPoolResponse>
{
    public string? UserPoolId { get; init; }
}

public sealed record ResetTestPoolResponse
{
    public int UsersDeleted { get; init; }
}

/// <summary>Empties a pool between tests and keeps its configuration: its users (their group memberships, codes and
/// linked identities go with them by the store's cascades), auth sessions, refresh tokens, authorization codes, auth
/// events, its messages and its clock offset, in the dispatcher's one transaction. The administration pool is refused: resetting it would
/// lock every operator out.</summary>
sealed class ResetTestPool(PortalDb db, UserPoolStore pools, Bootstrap bootstrap, PoolClocks clocks) : IOperation<ResetTestPoolRequest, ResetTestPoolResponse>
{
    public async Task<ResetTestPoolResponse> Handle(ResetTestPoolRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var id = pool.Row.Id;
        if (id == bootstrap.Created?.AdminPoolId)
            throw new InvalidParameterException($"User pool {id} is Portal's administration pool: testing mode does not reset it.");
        await db.AuthSessions.Where(s => s.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.RefreshTokens.Where(t => t.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.AuthorizationCodes.Where(c => c.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.AuthEvents.Where(e => e.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.Codes.Where(c => c.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.GroupMembers.Where(m => m.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.LinkedIdentities.Where(l => l.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.Outbox.Where(m => m.UserPoolId == id).ExecuteDeleteAsync(ct);
        var users = await db.Users.Where(u => u.UserPoolId == id).ExecuteDeleteAsync(ct);
        // The next test starts on real time.
        var clockKey = PoolClocks.Prefix + id;
        if (await db.Settings.Where(s => s.Key == clockKey).ExecuteDeleteAsync(ct) > 0)
        {
            await clocks.Changed(db, id, ct);
        }
        return new ResetTestPoolResponse { UsersDeleted = users };
    }
}
