using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class DeleteUserAttributes(PortalDb db, SignedInUsers signedIn, Codes codes, TimeProvider clock)
    : IOperation<DeleteUserAttributesRequest, DeleteUserAttributesResponse>
{
    static readonly string[] Contacts = ["email", "phone_number"];

    public async Task<DeleteUserAttributesResponse> Handle(DeleteUserAttributesRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var (pool, user) = (me.Pool, me.User);
        var names = request.UserAttributeNames ?? [];
        if (me.Client is { } client) new CallingClient(client, pool).CheckWriteAttributes(names);
        AttributeRules.CheckWritable(pool.Settings, names.Select(n => new AttributeType { Name = n, Value = "" }), creating: false);

        var changes = names.Select(n => new KeyValuePair<string, string?>(n, null)).ToList();
        foreach (var contact in Contacts.Where(names.Contains))
        {
            // Without the value there is nothing verified, nor anything left to verify.
            changes.Add(new(contact + "_verified", null));
            await codes.Revoke(user, CodePurpose.Verify(contact), ct);
        }
        UserStore.SetAttributes(user, changes);
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
        user.LastModifiedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new DeleteUserAttributesResponse();
    }
}
