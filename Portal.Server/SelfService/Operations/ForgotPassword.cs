using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Throttling;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ForgotPassword(PortalDb db, AppClientStore clients, UserPoolStore pools, UserStore users, Codes codes, Messages messages,
    UserMigration migration, AuthEvents events, CodeIssuance issuance)
    : IOperation<ForgotPasswordRequest, ForgotPasswordResponse>
{
    public async Task<ForgotPasswordResponse> Handle(ForgotPasswordRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        var pool = caller.Pool;
        var user = await users.Find(pool, request.Username, ct);
        caller.CheckSecretHash(request.SecretHash, request.Username, user?.Username);
        // Cognito refuses a pool recovered by administrators before it looks at the user: an unknown name learns nothing.
        if (Contacts.AdminOnly(pool.Settings)) throw new NotAuthorizedException(Contacts.AdminOnlyMessage);
        // Counted for unknown names too where existence is hidden, so the limit does not tell which names are users.
        if (user is not null || caller.PreventsUserExistenceErrors) await issuance.Count(pool.Row.Id, user?.Username ?? request.Username ?? "", ct);
        // A user of the old directory may still be migrated here, to reset their password (status RESET_REQUIRED).
        if (user is null && UserMigration.Configured(pool))
            user = await migration.Migrate(pool, caller.Client.Row.ClientId, request.Username!, null, request.ClientMetadata, request.ClientMetadata, ct);
        if (user is null)
            return caller.PreventsUserExistenceErrors
                ? new ForgotPasswordResponse { CodeDeliveryDetails = Contacts.Simulated(request.Username) }
                : throw UserNotFoundException.ForClient();
        if (!user.Enabled) throw NotAuthorizedException.UserDisabled();
        // A user who never chose a password completes the invitation instead.
        if (user.Status == UserStatus.ForceChangePassword) throw new NotAuthorizedException("User password cannot be reset in the current state.");

        var contact = Contacts.ForRecovery(pool.Settings, user, byAdministrator: false);
        var code = await codes.Issue(user, CodePurpose.ForgotPassword, Codes.ForgotPasswordLifetime, ct);
        var delivery = messages.SendCode(pool, user, contact.AttributeName, contact.Destination, code, "CustomMessage_ForgotPassword",
            caller.Client.Row.ClientId, request.ClientMetadata);
        events.From(request.UserContextData);
        events.Add(pool, user, "ForgotPassword", "Pass", caller.Client.Row.ClientId);
        await messages.Customize(ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new ForgotPasswordResponse { CodeDeliveryDetails = delivery };
    }
}
