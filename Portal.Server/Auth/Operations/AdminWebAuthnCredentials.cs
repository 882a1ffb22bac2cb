using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Auth.Operations;

/// <summary>The portal's list of a user's passkeys (Cognito has no admin passkey operation): Portal's own store.</summary>
sealed class AdminListWebAuthnCredentials(UserPoolStore pools, UserStore users, PortalDb db)
    : IOperation<AdminListWebAuthnCredentialsRequest, AdminListWebAuthnCredentialsResponse>
{
    public async Task<AdminListWebAuthnCredentialsResponse> Handle(AdminListWebAuthnCredentialsRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var rows = await db.WebAuthnCredentials.AsNoTracking().Where(c => c.UserSub == user.Sub && c.UserPoolId == pool.Row.Id).OrderBy(c => c.Id).ToListAsync(ct);
        return new AdminListWebAuthnCredentialsResponse
        {
            Credentials = rows.Select(c => new AdminWebAuthnCredential
            {
                CredentialId = c.CredentialId, FriendlyCredentialName = c.Name, RelyingPartyId = c.RelyingPartyId, AuthenticatorAttachment = c.Attachment,
                AuthenticatorTransports = Passkeys.Passkeys.TransportsOf(c), CreatedAt = c.CreatedAt, LastUsedAt = c.LastUsedAt,
            }).ToList(),
        };
    }
}

/// <summary>An operator deletes one of a user's passkeys (a lost phone, a shared key): it signs in no more. The audit entry
/// is the dispatcher's, in the same transaction as the delete.</summary>
sealed class AdminDeleteWebAuthnCredential(UserPoolStore pools, UserStore users, PortalDb db, AuditTarget audit)
    : IOperation<AdminDeleteWebAuthnCredentialRequest, AdminDeleteWebAuthnCredentialResponse>
{
    public async Task<AdminDeleteWebAuthnCredentialResponse> Handle(AdminDeleteWebAuthnCredentialRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        audit.Name = user.Username;
        var deleted = await db.WebAuthnCredentials
            .Where(c => c.UserSub == user.Sub && c.UserPoolId == pool.Row.Id && c.CredentialId == request.CredentialId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new ResourceNotFoundException("Credential not found.");
        return new AdminDeleteWebAuthnCredentialResponse();
    }
}
