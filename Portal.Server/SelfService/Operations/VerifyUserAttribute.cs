using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class VerifyUserAttribute(PortalDb db, SignedInUsers signedIn, UserStore users, Codes codes, TimeProvider clock)
    : IOperation<VerifyUserAttributeRequest, VerifyUserAttributeResponse>
{
    public async Task<VerifyUserAttributeResponse> Handle(VerifyUserAttributeRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var (pool, user) = (me.Pool, me.User);
        var attribute = request.AttributeName;
        if (attribute is not ("email" or "phone_number"))
            throw InvalidParameterException.NotVerifiable(attribute);
        var purpose = CodePurpose.Verify(attribute);

        // A value waiting for verification replaces the old one now. Conflicts are reported before the code is
        // spent (nothing changed here is saved if the code is wrong).
        if (await codes.Detail(user, purpose, ct) is { } pending) UserStore.SetAttributes(user, [new(attribute, pending)]);
        UserStore.SetAttributes(user, [new(attribute + "_verified", "true")]);
        user.LastModifiedAt = clock.GetUtcNow();
        await users.ClaimAliases(pool, user, force: false, ct);
        await codes.Use(user, purpose, request.Code, ct);
        await db.SaveChangesAsync(ct);
        return new VerifyUserAttributeResponse();
    }
}
