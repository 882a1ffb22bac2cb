using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminUpdateUserAttributes(PortalDb db, UserPoolStore pools, UserStore users, Codes codes, Messages messages, TimeProvider clock)
    : IOperation<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>
{
    public async Task<AdminUpdateUserAttributesResponse> Handle(AdminUpdateUserAttributesRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        // Every attribute is checked before any is written, and nothing is saved before the end: one bad attribute changes none.
        var attributes = AttributeRules.CheckWritable(pool.Settings, request.UserAttributes!, creating: false);

        var changes = new Dictionary<string, string?>();
        foreach (var a in attributes) changes[a.Name!] = string.IsNullOrEmpty(a.Value) ? null : a.Value;

        var autoVerified = pool.Settings.AutoVerifiedAttributes ?? [];
        var verifyBeforeUpdate = pool.Settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
        var toVerify = new List<(string Attribute, string Value, bool Pending)>();
        foreach (var attribute in new[] { "email", "phone_number" })
        {
            if (!changes.TryGetValue(attribute, out var value)) continue;
            var verified = attribute + "_verified";
            var current = attribute == "email" ? user.Email : user.PhoneNumber;
            if (value is null)
            {
                changes[verified] = null;
                await codes.Revoke(user, CodePurpose.Verify(attribute), ct);
                continue;
            }
            if (value == current) continue;
            if (changes.GetValueOrDefault(verified) == "true")
            {
                // The administrator vouches for the new value: no code is sent.
                await codes.Revoke(user, CodePurpose.Verify(attribute), ct);
                continue;
            }
            if (verifyBeforeUpdate.Contains(attribute) && autoVerified.Contains(attribute) && current is not null)
            {
                // The verified value stays until the new one is verified; the new one waits with its code.
                changes.Remove(attribute);
                toVerify.Add((attribute, value, Pending: true));
                continue;
            }
            // A new email or phone number is unverified until verified again.
            changes[verified] = "false";
            if (autoVerified.Contains(attribute)) toVerify.Add((attribute, value, Pending: false));
            else await codes.Revoke(user, CodePurpose.Verify(attribute), ct);
        }

        UserStore.SetAttributes(user, changes);
        var after = UserStore.Attributes(user);
        foreach (var (verified, attribute) in new[] { ("email_verified", "email"), ("phone_number_verified", "phone_number") })
            if (after.GetValueOrDefault(verified) == "true" && !after.ContainsKey(attribute))
                throw InvalidParameterException.VerifiedWithoutValue(attribute, verified);
        AttributeRules.CheckRequired(pool.Settings, after);
        await users.ClaimAliases(pool, user, force: false, ct);
        user.LastModifiedAt = clock.GetUtcNow();

        foreach (var (attribute, value, pending) in toVerify)
        {
            var code = await codes.Issue(user, CodePurpose.Verify(attribute), Codes.VerifyLifetime, ct, detail: pending ? value : null);
            messages.SendCode(pool, user, attribute, value, code);
        }
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new AdminUpdateUserAttributesResponse();
    }
}
