using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>AdminLinkProviderForUser and AdminDisableProviderForUser with a real OpenID provider.</summary>
[Collection(OidcCollection.Name)]
public sealed class LinkProviderTests(OidcFixture f)
{
    async Task<(string Username, string Sub)> NativeUser(string email)
    {
        var created = await f.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = f.PoolId, Username = "native-" + Guid.NewGuid().ToString("n")[..6], MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await f.Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = f.PoolId, Username = created.User!.Username, Password = "Linked-Pass-123", Permanent = true });
        return (created.User.Username!, created.User.Attributes!.First(a => a.Name == "sub").Value!);
    }

    static AdminLinkProviderForUserRequest Link(string poolId, string username, string provider, string subject) => new()
    {
        UserPoolId = poolId,
        DestinationUser = new() { ProviderName = "Cognito", ProviderAttributeValue = username },
        SourceUser = new() { ProviderName = provider, ProviderAttributeName = "Cognito_Subject", ProviderAttributeValue = subject },
    };

    [Fact]
    public async Task A_linked_provider_identity_signs_in_as_the_existing_user()
    {
        var login = $"hana-{Guid.NewGuid().ToString("n")[..6]}@corp.example";
        var (username, sub) = await NativeUser(login);
        await f.Cognito.Send(Link(f.PoolId, username, "CorpIdP", login));

        var described = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = username });
        Assert.Contains("\"providerName\":\"CorpIdP\"", described.UserAttributes!.First(a => a.Name == "identities").Value);

        using var user = f.NewUser();
        var step = await user.SignIn(f.AuthorizeUrl("CorpIdP"), login);
        var id = OidcFixture.Payload((await f.Redeem(HttpUser.Query(step.Location, "code")!)).GetProperty("id_token").GetString()!);
        Assert.Equal(sub, id.GetProperty("sub").GetString());
        Assert.Equal(username, id.GetProperty("cognito:username").GetString());
        Assert.Contains(id.GetProperty("identities").EnumerateArray(), e => e.GetProperty("userId").GetString() == login);
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{login}" }));

        // Unlinked, the identity signs in as a new federated user of its own.
        await f.Cognito.Send(new AdminDisableProviderForUserRequest
        {
            UserPoolId = f.PoolId, User = new() { ProviderName = "CorpIdP", ProviderAttributeName = "Cognito_Subject", ProviderAttributeValue = login },
        });
        var after = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = username });
        Assert.DoesNotContain(after.UserAttributes!, a => a.Name == "identities");
        using var again = f.NewUser();
        var second = await again.SignIn(f.AuthorizeUrl("CorpIdP"), login);
        var id2 = OidcFixture.Payload((await f.Redeem(HttpUser.Query(second.Location, "code")!)).GetProperty("id_token").GetString()!);
        Assert.NotEqual(sub, id2.GetProperty("sub").GetString());
        Assert.Equal($"CorpIdP_{login}", id2.GetProperty("cognito:username").GetString());
    }

    [Fact]
    public async Task Linking_refuses_what_cognito_refuses()
    {
        var (username, _) = await NativeUser($"ivan-{Guid.NewGuid().ToString("n")[..6]}@example.com");
        var subject = "ivan-" + Guid.NewGuid().ToString("n")[..6];
        await f.Cognito.Send(Link(f.PoolId, username, "CorpIdP", subject));
        await Assert.ThrowsAsync<AliasExistsException>(() => f.Cognito.Send(Link(f.PoolId, username, "CorpIdP", subject)));
        await Assert.ThrowsAsync<InvalidParameterException>(() => f.Cognito.Send(Link(f.PoolId, username, "NoSuchIdP", subject)));
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(Link(f.PoolId, "nobody-here", "CorpIdP", "x-" + subject)));

        // An identity that already signed in has its own user: Cognito does not merge it.
        var used = "jill-" + Guid.NewGuid().ToString("n")[..6];
        using var user = f.NewUser();
        await user.SignIn(f.AuthorizeUrl("CorpIdP"), used);
        var merge = await Assert.ThrowsAsync<InvalidParameterException>(() => f.Cognito.Send(Link(f.PoolId, username, "CorpIdP", used)));
        Assert.Contains("Merging is not currently supported", merge.Message);
        // Nor links to a federated user.
        await Assert.ThrowsAsync<InvalidParameterException>(() => f.Cognito.Send(Link(f.PoolId, $"CorpIdP_{used}", "Google", "k-" + subject)));

        // Disabling the used identity deletes its federated user.
        await f.Cognito.Send(new AdminDisableProviderForUserRequest
        {
            UserPoolId = f.PoolId, User = new() { ProviderName = "CorpIdP", ProviderAttributeName = "Cognito_Subject", ProviderAttributeValue = used },
        });
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"CorpIdP_{used}" }));
    }
}
