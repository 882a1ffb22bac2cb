using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>Attribute values as Cognito takes them: Boolean attributes in any case, unknown attributes named in Cognito's words.</summary>
[Collection(ServerCollection.Name)]
public sealed class AttributeValueTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    static Dictionary<string, string> Attributes(AdminGetUserResponse user) => user.UserAttributes!.ToDictionary(a => a.Name!, a => a.Value!);

    [Fact]
    public async Task Boolean_attributes_take_True_and_FALSE_and_are_stored_as_true_and_false()
    {
        var pool = await cognito.NewPool();
        await cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool.Id, Username = "ada", MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = "ada@example.com" }, new() { Name = "email_verified", Value = "True" }],
        });
        var created = Attributes(await cognito.Send(new AdminGetUserRequest { UserPoolId = pool.Id, Username = "ada" }));
        Assert.Equal("true", created["email_verified"]);

        await cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool.Id, Username = "ada", UserAttributes = [new() { Name = "email_verified", Value = "FALSE" }],
        });
        var updated = Attributes(await cognito.Send(new AdminGetUserRequest { UserPoolId = pool.Id, Username = "ada" }));
        Assert.Equal("false", updated["email_verified"]);

        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool.Id, Username = "ada", UserAttributes = [new() { Name = "email_verified", Value = "yes" }],
        }));
        Assert.Contains("email_verified", refused.Message);
    }

    [Fact]
    public async Task An_unknown_attribute_is_refused_in_Cognitos_words()
    {
        var pool = await cognito.NewPool();
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool.Id, Username = "bob", MessageAction = "SUPPRESS", UserAttributes = [new() { Name = "custom:nope", Value = "1" }],
        }));
        Assert.Equal("Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined", refused.Message);
    }
}
