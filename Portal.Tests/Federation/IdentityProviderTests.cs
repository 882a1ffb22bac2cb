using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>Identity-provider CRUD over the wire (AWS JSON 1.1, SigV4), with Cognito's validation and errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdentityProviderTests(PortalServer server)
{
    readonly RemoteCognito cognito = new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
        new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

    async Task<string> Pool() =>
        (await cognito.Send(new CreateUserPoolRequest { PoolName = "idp-" + Guid.NewGuid().ToString("n")[..8] })).UserPool!.Id!;

    static Dictionary<string, string> Google => new() { ["client_id"] = "google-client", ["client_secret"] = "google-secret", ["authorize_scopes"] = "openid email" };

    static Dictionary<string, string> Oidc(string issuer = "https://idp.example.com") => new()
    {
        ["client_id"] = "oidc-client", ["client_secret"] = "oidc-secret", ["attributes_request_method"] = "GET", ["oidc_issuer"] = issuer,
        ["authorize_scopes"] = "openid", ["authorize_url"] = issuer + "/authorize", ["token_url"] = issuer + "/token",
        ["attributes_url"] = issuer + "/userinfo", ["jwks_uri"] = issuer + "/jwks",
    };

    [Fact]
    public async Task Create_then_describe_a_google_provider_with_cognitos_computed_keys()
    {
        var pool = await Pool();
        var created = await cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Google", ProviderType = "Google", ProviderDetails = Google,
            AttributeMapping = new() { ["email"] = "email" },
        });
        Assert.Equal("Google", created.IdentityProvider!.ProviderName);
        var described = (await cognito.Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google" })).IdentityProvider!;
        Assert.Equal("google-client", described.ProviderDetails!["client_id"]);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", described.ProviderDetails["authorize_url"]);
        Assert.Equal("https://www.googleapis.com/oauth2/v4/token", described.ProviderDetails["token_url"]);
        Assert.Equal("https://accounts.google.com", described.ProviderDetails["oidc_issuer"]);
        Assert.Equal("sub", described.AttributeMapping!["username"]);
        Assert.Equal("email", described.AttributeMapping["email"]);
        Assert.NotNull(described.CreationDate);
        Assert.NotNull(described.LastModifiedDate);
    }

    [Fact]
    public async Task Missing_details_duplicates_and_wrong_names_are_refused_as_cognito_does()
    {
        var pool = await Pool();
        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Google", ProviderType = "Google", ProviderDetails = new() { ["client_id"] = "x" },
        }));
        Assert.Equal("client_id, client_secret and authorize_scopes are all required idp details", missing.Message);
        var oidc = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Corp", ProviderType = "OIDC", ProviderDetails = new() { ["client_id"] = "x", ["client_secret"] = "y" },
        }));
        Assert.Contains("attributes_request_method", oidc.Message);
        Assert.Contains("oidc_issuer", oidc.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "MyGoogle", ProviderType = "Google", ProviderDetails = Google,
        }));
        await cognito.Send(new CreateIdentityProviderRequest { UserPoolId = pool, ProviderName = "Google", ProviderType = "Google", ProviderDetails = Google });
        await Assert.ThrowsAsync<DuplicateProviderException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Google", ProviderType = "Google", ProviderDetails = Google,
        }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Nope" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Corp", ProviderType = "OIDC", ProviderDetails = Oidc(),
            AttributeMapping = new() { ["custom:missing"] = "x" },
        }));
        // An issuer without all endpoints is discovered; an unreachable one is refused.
        var unreachable = Oidc("http://127.0.0.1:9");
        unreachable.Remove("jwks_uri");
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Corp", ProviderType = "OIDC", ProviderDetails = unreachable,
        }));
    }

    [Fact]
    public async Task Idp_identifiers_are_unique_in_a_pool_and_find_their_provider()
    {
        var pool = await Pool();
        await cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Corp", ProviderType = "OIDC", ProviderDetails = Oidc(), IdpIdentifiers = ["corp.example", "corp"],
        });
        var found = await cognito.Send(new GetIdentityProviderByIdentifierRequest { UserPoolId = pool, IdpIdentifier = "corp" });
        Assert.Equal("Corp", found.IdentityProvider!.ProviderName);
        Assert.Equal(["corp.example", "corp"], found.IdentityProvider.IdpIdentifiers!);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new GetIdentityProviderByIdentifierRequest { UserPoolId = pool, IdpIdentifier = "other" }));
        await Assert.ThrowsAsync<DuplicateProviderException>(() => cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Corp2", ProviderType = "OIDC", ProviderDetails = Oidc(), IdpIdentifiers = ["corp"],
        }));
        // The provider itself may keep its identifiers on update.
        await cognito.Send(new UpdateIdentityProviderRequest { UserPoolId = pool, ProviderName = "Corp", IdpIdentifiers = ["corp"] });
    }

    [Fact]
    public async Task List_pages_update_merges_and_delete_removes_the_provider_from_app_clients()
    {
        var pool = await Pool();
        foreach (var name in new[] { "Alpha", "Beta", "Gamma" })
            await cognito.Send(new CreateIdentityProviderRequest { UserPoolId = pool, ProviderName = name, ProviderType = "OIDC", ProviderDetails = Oidc() });
        var first = await cognito.Send(new ListIdentityProvidersRequest { UserPoolId = pool, MaxResults = 2 });
        Assert.Equal(["Alpha", "Beta"], first.Providers!.Select(p => p.ProviderName!));
        var second = await cognito.Send(new ListIdentityProvidersRequest { UserPoolId = pool, MaxResults = 2, NextToken = first.NextToken });
        Assert.Equal(["Gamma"], second.Providers!.Select(p => p.ProviderName!));
        Assert.Null(second.NextToken);
        Assert.All(first.Providers!, p => Assert.Equal("OIDC", p.ProviderType));

        var updated = await cognito.Send(new UpdateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "Beta", ProviderDetails = new() { ["client_id"] = "new-client" },
            AttributeMapping = new() { ["email"] = "mail" },
        });
        Assert.Equal("new-client", updated.IdentityProvider!.ProviderDetails!["client_id"]);
        Assert.Equal("oidc-secret", updated.IdentityProvider.ProviderDetails["client_secret"]);
        Assert.Equal("mail", updated.IdentityProvider.AttributeMapping!["email"]);

        var client = await cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app", SupportedIdentityProviders = ["COGNITO", "Beta"], CallbackURLs = ["https://app.example/cb"],
            AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"], AllowedOAuthFlowsUserPoolClient = true,
        });
        var unknown = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app2", SupportedIdentityProviders = ["COGNITO", "Nope"],
        }));
        Assert.Equal($"The provider Nope does not exist for User Pool {pool}", unknown.Message);

        await cognito.Send(new DeleteIdentityProviderRequest { UserPoolId = pool, ProviderName = "Beta" });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new DescribeIdentityProviderRequest { UserPoolId = pool, ProviderName = "Beta" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new DeleteIdentityProviderRequest { UserPoolId = pool, ProviderName = "Beta" }));
        var described = await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = pool, ClientId = client.UserPoolClient!.ClientId });
        Assert.Equal(["COGNITO"], described.UserPoolClient!.SupportedIdentityProviders!);
    }
}
