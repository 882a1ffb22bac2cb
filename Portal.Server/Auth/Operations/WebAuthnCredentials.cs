using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.SelfService;
using Portal.Server.Storage;

namespace Portal.Server.Auth.Operations;

/// <summary>The signed-in user's passkeys, oldest first, a page at a time (MaxResults up to 20).</summary>
sealed class ListWebAuthnCredentials(SignedInUsers signedIn, PortalDb db)
    : IOperation<ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse>
{
    public async Task<ListWebAuthnCredentialsResponse> Handle(ListWebAuthnCredentialsRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var limit = request.MaxResults is { } m and > 0 ? m : 20;
        long after = 0;
        if (request.NextToken is { } token && !long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            throw new InvalidParameterException("Invalid NextToken.");
        var rows = await db.WebAuthnCredentials.AsNoTracking().Where(c => c.UserSub == me.User.Sub && c.Id > after)
            .OrderBy(c => c.Id).Take(limit + 1).ToListAsync(ct);
        return new ListWebAuthnCredentialsResponse
        {
            Credentials = rows.Take(limit).Select(Describe).ToList(),
            NextToken = rows.Count > limit ? rows[limit - 1].Id.ToString(CultureInfo.InvariantCulture) : null,
        };
    }

    public static WebAuthnCredentialDescription Describe(WebAuthnCredentialRow c) => new()
    {
        CredentialId = c.CredentialId, FriendlyCredentialName = c.Name, RelyingPartyId = c.RelyingPartyId,
        AuthenticatorAttachment = c.Attachment, AuthenticatorTransports = Passkeys.Passkeys.TransportsOf(c), CreatedAt = c.CreatedAt,
    };
}

/// <summary>The signed-in user removes one of their passkeys.</summary>
sealed class DeleteWebAuthnCredential(SignedInUsers signedIn, PortalDb db)
    : IOperation<DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse>
{
    public async Task<DeleteWebAuthnCredentialResponse> Handle(DeleteWebAuthnCredentialRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var deleted = await db.WebAuthnCredentials.Where(c => c.UserSub == me.User.Sub && c.CredentialId == request.CredentialId).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new ResourceNotFoundException("Credential not found.");
        return new DeleteWebAuthnCredentialResponse();
    }
}
