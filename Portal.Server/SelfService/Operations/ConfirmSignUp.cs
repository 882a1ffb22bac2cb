using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ConfirmSignUp(PortalDb db, AppClientStore clients, UserPoolStore pools, UserStore users, Codes codes, UserTriggers triggers,
    TimeProvider clock)
    : IOperation<ConfirmSignUpRequest, ConfirmSignUpResponse>
{
    public async Task<ConfirmSignUpResponse> Handle(ConfirmSignUpRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        var pool = caller.Pool;
        var user = await users.Find(pool, request.Username, ct);
        caller.CheckSecretHash(request.SecretHash, request.Username, user?.Username);
        if (user is null)
            throw caller.PreventsUserExistenceErrors
                ? CodeMismatchException.InvalidCode()
                : UserNotFoundException.ForClient();
        if (user.Status != UserStatus.Unconfirmed)
            throw NotAuthorizedException.CannotConfirm(user.Status);

        // The attribute the code went to becomes verified; an alias conflict is reported before the code is spent
        // (nothing changed here is saved if the code is wrong).
        user.Status = UserStatus.Confirmed;
        user.LastModifiedAt = clock.GetUtcNow();
        if (await codes.Detail(user, CodePurpose.SignUp, ct) is { } attribute)
            UserStore.SetAttributes(user, [new(attribute + "_verified", "true")]);
        await users.ClaimAliases(pool, user, request.ForceAliasCreation == true, ct);
        await codes.Use(user, CodePurpose.SignUp, request.ConfirmationCode, ct);
        await db.SaveChangesAsync(ct);
        // Once the confirmation is committed, as Cognito runs it: a failure is the answer, the user stays confirmed.
        await triggers.PostConfirmation(pool, "PostConfirmation_ConfirmSignUp", user, caller.Client.Row.ClientId, request.ClientMetadata, ct);
        return new ConfirmSignUpResponse();
    }
}
