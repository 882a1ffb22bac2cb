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
                ? new CodeMismatchException("Invalid verification code provided, please try again.")
                : new UserNotFoundException("Username/client id combination not found.");
        if (user.Status != "UNCONFIRMED")
            throw new NotAuthorizedException($"User cannot be confirmed. Current status is {user.Status}");

        // The attribute the code went to becomes verified; an alias conflict is reported before the code is spent
        // (nothing changed here is saved if the code is wrong).
        user.Status = "CONFIRMED";
        user.LastModifiedAt = clock.GetUtcNow();
        if (await codes.Detail(user, CodePurpose.SignUp, ct) is { } attribute)
            UserStore.SetAttributes(user, [new(attribute + "_verified", "true")]);
        await users.ClaimAliases(pool, user, request.ForceAliasCreation == true, ct);
        await codes.Use(user, CodePurpose.SignUp, request.ConfirmationCode, ct);
        await db.SaveChangesAsync(ct);
        // After the confirmation is written, as Cognito runs it; a failure rolls the operation back (the dispatcher's
        // unit of work): the user stays unconfirmed and the code unspent.
        await triggers.PostConfirmation(pool, "PostConfirmation_ConfirmSignUp", user, caller.Client.Row.ClientId, request.ClientMetadata, ct);
        return new ConfirmSignUpResponse();
    }
}
