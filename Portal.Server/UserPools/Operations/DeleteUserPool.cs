using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

/// <summary>Deletes the pool and everything that lives in it. Clients, domains, resource servers, users (with their
/// group memberships, codes and linked identities), groups, identity providers and branding go by the store's
/// cascades; the pool-scoped state without a foreign key (sessions, tokens, codes, keys, trigger logs, messages, stored
/// trigger functions with their webhook secrets, the SAML signing key) is removed here.</summary>
sealed class DeleteUserPool(PortalDb db, UserPoolStore pools, HostedUi.CustomDomainHosts hosts) : IOperation<DeleteUserPoolRequest, DeleteUserPoolResponse>
{
    public async Task<DeleteUserPoolResponse> Handle(DeleteUserPoolRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        if (pool.Row.DeletionProtection)
            throw new InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.");
        var id = pool.Row.Id;
        if (await db.Set<Imports.UserImportJobRow>().AnyAsync(j => j.UserPoolId == id && (j.Status == UserImportJobStatus.Pending
                || j.Status == UserImportJobStatus.InProgress || j.Status == UserImportJobStatus.Stopping), ct))
            throw new UserImportInProgressException("A user import job is in progress for this user pool. Stop it or wait until it ends.");
        await db.AuthSessions.Where(s => s.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.RefreshTokens.Where(t => t.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.AuthorizationCodes.Where(c => c.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.SigningKeys.Where(k => k.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.TriggerInvocations.Where(t => t.UserPoolId == id).ExecuteDeleteAsync(ct);
        await db.Outbox.Where(m => m.UserPoolId == id).ExecuteDeleteAsync(ct);
        var functions = Triggers.TriggerFunctions.PoolPrefix(id);
        var signing = Federation.Saml.SamlSigningCertificates.Key(id);
        var createdInTestingMode = Testing.FastHashing.Prefix + id;
        var clock = Testing.PoolClocks.Prefix + id;
        await db.Settings.Where(s => s.Key.StartsWith(functions) || s.Key == signing || s.Key == createdInTestingMode || s.Key == clock).ExecuteDeleteAsync(ct);
        if (await db.UserPools.Where(p => p.Id == id && p.Version == pool.Row.Version).ExecuteDeleteAsync(ct) == 0)
            throw ConcurrentModificationException.UserPool();
        // Deleted in bulk, its clients by the cascade: every instance forgets its cached pool, clients and keys.
        db.ConfigChanged(Storage.ChangeNotifications.UserPool, id);
        // Its custom domain went with it (a cascade): the host filter no longer answers it.
        await hosts.AfterCommit(db, ct);
        return new DeleteUserPoolResponse();
    }
}
