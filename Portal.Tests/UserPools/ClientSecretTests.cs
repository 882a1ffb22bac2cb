using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Portal.Client.Contract;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>Client secret rotation over AWS JSON with SigV4 (AddUserPoolClientSecret, ListUserPoolClientSecrets,
/// DeleteUserPoolClientSecret): two secrets at once, both accepted by SECRET_HASH and the token endpoint.</summary>
[Collection(ServerCollection.Name)]
public sealed class ClientSecretTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    [Fact]
    public async Task A_second_secret_is_added_listed_without_values_and_a_third_is_refused()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });

        var first = Assert.Single((await kit.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecrets!);
        Assert.StartsWith(app.ClientId + "--", first.ClientSecretId);
        Assert.Null(first.ClientSecretValue);

        var added = (await kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecretDescriptor!;
        Assert.Matches("^[a-z0-9]{51}$", added.ClientSecretValue!);
        Assert.NotEqual(app.ClientSecret, added.ClientSecretValue);
        Assert.Matches($"^{app.ClientId}--[0-9]{{13}}$", added.ClientSecretId!);
        Assert.NotNull(added.ClientSecretCreateDate);

        var listed = (await kit.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecrets!;
        Assert.Equal([first.ClientSecretId, added.ClientSecretId], listed.Select(s => s.ClientSecretId));
        Assert.All(listed, s => Assert.Null(s.ClientSecretValue));

        var third = await Assert.ThrowsAsync<LimitExceededException>(() =>
            kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId }));
        Assert.Contains("at most 2", third.Message);
    }

    [Fact]
    public async Task A_secret_the_caller_chooses_is_not_echoed_and_a_public_client_gets_none()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        var mine = "mychosensecretvalue0123456789";
        var added = (await kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecret = mine })).ClientSecretDescriptor!;
        Assert.Null(added.ClientSecretValue);
        await kit.User(app.PoolId, "mia");
        Assert.NotNull((await kit.PasswordSignIn(app with { ClientSecret = mine }, "mia")).AuthenticationResult);

        var tooShort = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecret = "short" }));
        Assert.Contains("clientSecret", tooShort.Message);

        var open = await kit.Client(app.PoolId, new CreateUserPoolClientRequest { ClientName = "spa" });
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = open.ClientId }));
        Assert.Empty((await kit.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = open.ClientId })).ClientSecrets!);
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_in_and_after_it_only_the_new_one()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        await kit.User(app.PoolId, "lena");
        var old = Assert.Single((await kit.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecrets!);
        var added = (await kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecretDescriptor!;
        var next = app with { ClientSecret = added.ClientSecretValue };

        Assert.NotNull((await kit.PasswordSignIn(app, "lena")).AuthenticationResult);
        var signedIn = (await kit.PasswordSignIn(next, "lena")).AuthenticationResult!;
        var domain = PortalServer.Unique("rotate");
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        using (var withOld = await Token(domain, app, signedIn.RefreshToken!)) Assert.Equal(HttpStatusCode.OK, withOld.StatusCode);
        using (var withNew = await Token(domain, next, signedIn.RefreshToken!)) Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);

        var unknown = await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DeleteUserPoolClientSecretRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecretId = app.ClientId + "--1",
        }));
        Assert.Contains("does not exist", unknown.Message);

        await kit.Admin.Send(new DeleteUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecretId = old.ClientSecretId });
        var described = (await kit.Admin.Send(new DescribeUserPoolClientRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).UserPoolClient!;
        Assert.Equal(added.ClientSecretValue, described.ClientSecret);
        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "lena"));
        Assert.Equal($"Unable to verify secret hash for client {app.ClientId}", wrong.Message);
        Assert.NotNull((await kit.PasswordSignIn(next, "lena")).AuthenticationResult);
        using (var withOld = await Token(domain, app, signedIn.RefreshToken!)) Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);

        var only = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new DeleteUserPoolClientSecretRequest
        {
            UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecretId = added.ClientSecretId,
        }));
        Assert.Equal("You cannot delete the last remaining secret for an app client.", only.Message);
        // The rotation can start again from the new secret.
        Assert.NotNull((await kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecretDescriptor);
    }

    [Fact]
    public async Task Deleting_the_newer_secret_keeps_the_first_and_unsigned_callers_are_refused()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        var added = (await kit.Admin.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecretDescriptor!;
        await kit.Admin.Send(new DeleteUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId, ClientSecretId = added.ClientSecretId });
        var described = (await kit.Admin.Send(new DescribeUserPoolClientRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).UserPoolClient!;
        Assert.Equal(app.ClientSecret, described.ClientSecret);
        await kit.User(app.PoolId, "omar");
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app with { ClientSecret = added.ClientSecretValue }, "omar"));

        // Secrets are an administrator's business: without SigV4 credentials the operation is refused.
        await Assert.ThrowsAnyAsync<CognitoException>(() =>
            kit.Anonymous.Send(new AddUserPoolClientSecretRequest { UserPoolId = app.PoolId, ClientId = app.ClientId }));
        Assert.Single((await kit.Admin.Send(new ListUserPoolClientSecretsRequest { UserPoolId = app.PoolId, ClientId = app.ClientId })).ClientSecrets!);
    }

    Task<HttpResponseMessage> Token(string domain, AuthKit.App app, string refreshToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}/{domain}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.ClientSecret}")));
        return kit.Http.SendAsync(request);
    }
}
