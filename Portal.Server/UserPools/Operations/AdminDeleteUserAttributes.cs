using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminDeleteUserAttributes(PortalDb db, UserPoolStore pools, UserStore users, Codes codes, TimeProvider clock)
    : IOperation<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>
{
    public async Task<AdminDeleteUserAttributesResponse> Handle(AdminDeleteUserAttributesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var names = request.UserAttributeNames!;
        AttributeRules.CheckDeletable(pool.Settings, names);
        var deleted = new HashSet<string>(names);
        foreach (var contact in names.Where(n => n is "email" or "phone_number").ToList())
        {
            // Without the email or phone number there is nothing left verified, nor to verify.
            deleted.Add(contact + "_verified");
            await codes.Revoke(user, CodePurpose.Verify(contact), ct);
        }
        UserStore.SetAttributes(user, deleted.Select(n => new KeyValuePair<string, string?>(n, null)));
        user.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new AdminDeleteUserAttributesResponse();
    }
}
