using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class AdminResetUserPassword(PortalDb db, UserPoolStore pools, UserStore users, Codes codes, Messages messages, TimeProvider clock)
    : IOperation<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>
{
    public async Task<AdminResetUserPasswordResponse> Handle(AdminResetUserPasswordRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var user = await users.Get(pool, request.Username, ct);
        var contact = Contacts.ForRecovery(pool.Settings, user, byAdministrator: true);

        // The old password no longer signs in; the code sent now sets the next one (ConfirmForgotPassword).
        user.Status = UserStatus.ResetRequired;
        user.LastModifiedAt = clock.GetUtcNow();
        var code = await codes.Issue(user, CodePurpose.ForgotPassword, Codes.ForgotPasswordLifetime, ct);
        messages.SendCode(pool, user, contact.AttributeName, contact.Destination, code, "CustomMessage_ForgotPassword",
            clientMetadata: request.ClientMetadata);
        await messages.Customize(ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new AdminResetUserPasswordResponse();
    }
}
