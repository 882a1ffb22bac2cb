using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class AdminConfirmSignUp(PortalDb db, UserPoolStore pools, UserStore users, Codes codes, UserTriggers triggers,
    TimeProvider clock)
    : IOperation<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>
{
    public async Task<AdminConfirmSignUpResponse> Handle(AdminConfirmSignUpRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        if (user.Status != UserStatus.Unconfirmed)
            throw NotAuthorizedException.CannotConfirm(user.Status);
        user.Status = UserStatus.Confirmed;
        user.LastModifiedAt = clock.GetUtcNow();
        // The emailed sign-up code has nothing left to confirm.
        await codes.Revoke(user, CodePurpose.SignUp, ct);
        await db.SaveChangesAsync(ct);
        // Once the confirmation is committed: a failure is the answer, the user stays confirmed.
        await triggers.PostConfirmation(pool, "PostConfirmation_ConfirmSignUp", user, null, request.ClientMetadata, ct);
        return new AdminConfirmSignUpResponse();
    }
}
