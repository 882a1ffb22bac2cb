using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class UpdateUserAttributes(PortalDb db, SignedInUsers signedIn, UserStore users, Codes codes, Messages messages, Contacts contacts, TimeProvider clock)
    : IOperation<UpdateUserAttributesRequest, UpdateUserAttributesResponse>
{
    public async Task<UpdateUserAttributesResponse> Handle(UpdateUserAttributesRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var (pool, user) = (me.Pool, me.User);
        var attributes = request.UserAttributes ?? [];
        if (me.Client is { } client) new CallingClient(client, pool).CheckWriteAttributes(attributes.Select(a => a.Name!));
        attributes = AttributeRules.CheckWritable(pool.Settings, attributes, creating: false);

        var changes = new Dictionary<string, string?>();
        foreach (var a in attributes) changes[a.Name!] = string.IsNullOrEmpty(a.Value) ? null : a.Value;

        var autoVerified = pool.Settings.AutoVerifiedAttributes ?? [];
        var verifyBeforeUpdate = pool.Settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
        var toVerify = new List<(string Attribute, string Value, bool Pending)>();
        foreach (var attribute in new[] { "email", "phone_number" })
        {
            if (!changes.TryGetValue(attribute, out var value)) continue;
            if (value is null)
            {
                changes[attribute + "_verified"] = null;
                await codes.Revoke(user, CodePurpose.Verify(attribute), ct);
                continue;
            }
            if (value == Contacts.ValueOf(user, attribute)) continue;
            if (await contacts.IsTakenAsUsername(pool, user.Sub, attribute, value, ct))
                throw AliasExistsException.For(attribute);
            if (verifyBeforeUpdate.Contains(attribute) && autoVerified.Contains(attribute) && Contacts.ValueOf(user, attribute) is not null)
            {
                // The verified value stays until the new one is verified; the new one waits with its code.
                changes.Remove(attribute);
                toVerify.Add((attribute, value, Pending: true));
            }
            else
            {
                changes[attribute + "_verified"] = "false";
                if (autoVerified.Contains(attribute)) toVerify.Add((attribute, value, Pending: false));
                else await codes.Revoke(user, CodePurpose.Verify(attribute), ct);
            }
        }

        UserStore.SetAttributes(user, changes);
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
        await users.ClaimAliases(pool, user, force: false, ct);
        user.LastModifiedAt = clock.GetUtcNow();

        var deliveries = new List<CodeDeliveryDetailsType>();
        foreach (var (attribute, value, pending) in toVerify)
        {
            var code = await codes.Issue(user, CodePurpose.Verify(attribute), Codes.VerifyLifetime, ct, detail: pending ? value : null);
            deliveries.Add(messages.SendCode(pool, user, attribute, value, code, "CustomMessage_UpdateUserAttribute", clientMetadata: request.ClientMetadata));
        }
        await messages.Customize(ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new UpdateUserAttributesResponse { CodeDeliveryDetailsList = deliveries };
    }
}
