using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Throttling;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class ResendConfirmationCode(PortalDb db, AppClientStore clients, UserPoolStore pools, UserStore users, Codes codes, Messages messages,
    AuthEvents events, CodeIssuance issuance)
    : IOperation<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>
{
    public async Task<ResendConfirmationCodeResponse> Handle(ResendConfirmationCodeRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        var pool = caller.Pool;
        var user = await users.Find(pool, request.Username, ct);
        caller.CheckSecretHash(request.SecretHash, request.Username, user?.Username);
        // Counted for unknown names too where existence is hidden, so the limit does not tell which names are users.
        if (user is not null || caller.PreventsUserExistenceErrors) await issuance.Count(pool.Row.Id, user?.Username ?? request.Username ?? "", ct);
        if (user is null)
            return caller.PreventsUserExistenceErrors
                ? new ResendConfirmationCodeResponse { CodeDeliveryDetails = Contacts.Simulated(request.Username) }
                : throw UserNotFoundException.ForClient();
        if (user.Status != UserStatus.Unconfirmed) throw new InvalidParameterException("User is already confirmed.");
        var contact = Contacts.ForSignUp(pool.Settings, user)
                      ?? throw new InvalidParameterException("Auto verification not turned on.");

        var code = await codes.Issue(user, CodePurpose.SignUp, Codes.SignUpLifetime, ct, detail: contact.AttributeName);
        var delivery = messages.SendCode(pool, user, contact.AttributeName, contact.Destination, code, "CustomMessage_ResendCode",
            caller.Client.Row.ClientId, request.ClientMetadata);
        events.From(request.UserContextData);
        events.Add(pool, user, "ResendCode", "Pass", caller.Client.Row.ClientId);
        await messages.Customize(ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new ResendConfirmationCodeResponse { CodeDeliveryDetails = delivery };
    }
}
