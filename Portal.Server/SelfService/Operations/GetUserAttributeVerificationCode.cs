using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;

namespace Portal.Server.SelfService.Operations;

sealed class GetUserAttributeVerificationCode(PortalDb db, SignedInUsers signedIn, Codes codes, Messages messages)
    : IOperation<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>
{
    public async Task<GetUserAttributeVerificationCodeResponse> Handle(GetUserAttributeVerificationCodeRequest request, CancellationToken ct)
    {
        var me = await signedIn.Get(request.AccessToken, ct);
        var attribute = request.AttributeName;
        if (attribute is not ("email" or "phone_number"))
            throw InvalidParameterException.NotVerifiable(attribute);
        var purpose = CodePurpose.Verify(attribute);
        // A value waiting for verification (AttributesRequireVerificationBeforeUpdate) is what gets the new code.
        var pending = await codes.Detail(me.User, purpose, ct);
        var destination = pending ?? Contacts.ValueOf(me.User, attribute)
                          ?? throw new InvalidParameterException($"User does not have a value for the attribute: {attribute}");

        var code = await codes.Issue(me.User, purpose, Codes.VerifyLifetime, ct, detail: pending);
        var delivery = messages.SendCode(me.Pool, me.User, attribute, destination, code, "CustomMessage_VerifyUserAttribute",
            clientMetadata: request.ClientMetadata);
        await messages.Customize(ct);
        await db.SaveChangesAsync(ct);
        await messages.Deliver(ct);
        return new GetUserAttributeVerificationCodeResponse { CodeDeliveryDetails = delivery };
    }
}
