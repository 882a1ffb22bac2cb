using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

[Collection(ServerCollection.Name)]
public sealed class ClientTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    async Task<(string PoolId, UserPoolClientType Client)> NewClient(CreateUserPoolClientRequest? request = null)
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String" }] });
        var client = await cognito.Send((request ?? new CreateUserPoolClientRequest()) with { UserPoolId = pool.Id, ClientName = request?.ClientName ?? "app" });
        return (pool.Id!, client.UserPoolClient!);
    }

    async Task<UserPoolClientType> Create(string poolId, CreateUserPoolClientRequest request) =>
        (await cognito.Send(request with { UserPoolId = poolId, ClientName = request.ClientName ?? "app" })).UserPoolClient!;

    [Fact]
    public async Task CreateUserPoolClient_answers_Cognitos_defaults()
    {
        var (poolId, client) = await NewClient();

        Assert.Matches("^[a-z0-9]{26}$", client.ClientId!);
        Assert.Equal(poolId, client.UserPoolId);
        Assert.Equal("app", client.ClientName);
        Assert.Null(client.ClientSecret);
        Assert.Equal("LEGACY", client.PreventUserExistenceErrors);
        Assert.Equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"], client.ExplicitAuthFlows!);
        Assert.Equal((60, 60, 30), (client.AccessTokenValidity!.Value, client.IdTokenValidity!.Value, client.RefreshTokenValidity!.Value));
        Assert.Equal(("minutes", "minutes", "days"), (client.TokenValidityUnits!.AccessToken, client.TokenValidityUnits.IdToken, client.TokenValidityUnits.RefreshToken));
        Assert.Equal(false, client.AllowedOAuthFlowsUserPoolClient);
        Assert.Equal(true, client.EnableTokenRevocation);
        Assert.Equal(3, client.AuthSessionValidity);
        Assert.Equal(client.CreationDate, client.LastModifiedDate);

        var described = (await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId })).UserPoolClient!;
        Assert.Equal(client.ClientId, described.ClientId);
        Assert.Equal(client.CreationDate, described.CreationDate);
        Assert.Equal(client.ExplicitAuthFlows, described.ExplicitAuthFlows);
    }

    [Fact]
    public async Task GenerateSecret_gives_the_client_a_secret_Describe_shows()
    {
        var (poolId, client) = await NewClient(new CreateUserPoolClientRequest { GenerateSecret = true });
        Assert.Matches("^[a-z0-9]{51}$", client.ClientSecret!);
        var described = (await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId })).UserPoolClient!;
        Assert.Equal(client.ClientSecret, described.ClientSecret);

        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Create(poolId, new CreateUserPoolClientRequest { GenerateSecret = true, ClientSecret = "my-own-secret-of-thirty-two-chars".Replace("-", "") }));
    }

    [Fact]
    public async Task ExplicitAuthFlows_legacy_and_ALLOW_values_cannot_be_mixed()
    {
        var (poolId, _) = await NewClient();
        var mixed = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Create(poolId, new CreateUserPoolClientRequest { ExplicitAuthFlows = ["USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }));
        Assert.Contains("ALLOW_", mixed.Message);
        var unknown = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Create(poolId, new CreateUserPoolClientRequest { ExplicitAuthFlows = ["ALLOW_EVERYTHING"] }));
        Assert.Contains("'explicitAuthFlows'", unknown.Message);

        var legacy = await Create(poolId, new CreateUserPoolClientRequest { ExplicitAuthFlows = ["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"] });
        Assert.Equal(["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"], legacy.ExplicitAuthFlows!);
    }

    [Theory]
    [InlineData(1, "days", null, null, true)]
    [InlineData(5, "minutes", null, null, true)]
    [InlineData(4, "minutes", null, null, false)]
    [InlineData(2, "days", null, null, false)]
    [InlineData(25, null, null, null, false)]          // hours by default: more than a day
    [InlineData(null, null, 60, "minutes", true)]
    [InlineData(null, null, 59, "minutes", false)]
    [InlineData(null, null, 3650, null, true)]         // days by default: 10 years
    [InlineData(null, null, 3651, "days", false)]
    public async Task Token_validity_is_checked_with_its_unit(int? access, string? accessUnit, int? refresh, string? refreshUnit, bool accepted)
    {
        var (poolId, _) = await NewClient();
        var request = new CreateUserPoolClientRequest
        {
            AccessTokenValidity = access,
            RefreshTokenValidity = refresh,
            TokenValidityUnits = accessUnit is null && refreshUnit is null ? null : new TokenValidityUnitsType { AccessToken = accessUnit, RefreshToken = refreshUnit },
        };
        if (accepted)
        {
            var client = await Create(poolId, request);
            if (access is not null) Assert.Equal((access, accessUnit ?? "hours"), (client.AccessTokenValidity, client.TokenValidityUnits!.AccessToken));
            if (refresh is not null) Assert.Equal((refresh, refreshUnit ?? "days"), (client.RefreshTokenValidity, client.TokenValidityUnits!.RefreshToken));
        }
        else
        {
            var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, request));
            Assert.StartsWith("Invalid range for token validity.", e.Message);
            Assert.Contains(access is not null ? "AccessTokenValidity" : "RefreshTokenValidity", e.Message);
        }
    }

    [Fact]
    public async Task Refresh_token_validity_0_means_30_days_and_the_contract_ranges_name_the_member()
    {
        var (poolId, _) = await NewClient();
        var zero = await Create(poolId, new CreateUserPoolClientRequest { RefreshTokenValidity = 0 });
        Assert.Equal((30, "days"), (zero.RefreshTokenValidity!.Value, zero.TokenValidityUnits!.RefreshToken));
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { IdTokenValidity = 0 }));
        Assert.Contains("'idTokenValidity'", e.Message);
    }

    [Fact]
    public async Task Callback_and_logout_URLs_are_https_except_localhost_and_have_no_fragment()
    {
        var (poolId, _) = await NewClient();
        var ok = await Create(poolId, new CreateUserPoolClientRequest
        {
            CallbackURLs = ["https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb", "myapp://callback"],
            LogoutURLs = ["https://app.example.com/"],
            DefaultRedirectURI = "https://app.example.com/cb",
        });
        Assert.Equal(4, ok.CallbackURLs!.Count);
        Assert.Equal("https://app.example.com/cb", ok.DefaultRedirectURI);

        var http = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { CallbackURLs = ["http://app.example.com/cb"] }));
        Assert.Equal("http://app.example.com/cb cannot use the HTTP protocol.", http.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { LogoutURLs = ["https://app.example.com/#bye"] }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { CallbackURLs = ["/relative"] }));
        var notListed = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            CallbackURLs = ["https://app.example.com/cb"], DefaultRedirectURI = "https://app.example.com/other",
        }));
        Assert.Contains("not in the callback URIs list", notListed.Message);
    }

    [Fact]
    public async Task OAuth_flows_need_the_OAuth_switch_scopes_and_callbacks()
    {
        var (poolId, _) = await NewClient();
        var code = await Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code", "implicit"],
            AllowedOAuthScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
            CallbackURLs = ["https://app.example.com/cb"], SupportedIdentityProviders = ["COGNITO"],
        });
        Assert.Equal(["code", "implicit"], code.AllowedOAuthFlows!);
        Assert.Equal(5, code.AllowedOAuthScopes!.Count);

        await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"], CallbackURLs = ["https://app.example.com/cb"],
        }));
        await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], CallbackURLs = ["https://app.example.com/cb"],
        }));
        var noCallback = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid"],
        }));
        Assert.Contains("CallbackUrls", noCallback.Message);
        var badFlow = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["token"], AllowedOAuthScopes = ["openid"],
        }));
        Assert.Contains("'allowedOAuthFlows'", badFlow.Message);
        var unknownScope = await Assert.ThrowsAsync<ScopeDoesNotExistException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["code"], AllowedOAuthScopes = ["openid", "api/read"],
            CallbackURLs = ["https://app.example.com/cb"],
        }));
        Assert.Equal("Invalid scope requested: api/read", unknownScope.Message);
    }

    [Fact]
    public async Task Client_credentials_need_a_secret_and_only_custom_scopes()
    {
        var (poolId, _) = await NewClient();
        await cognito.Send(new CreateResourceServerRequest
        {
            UserPoolId = poolId, Identifier = "https://api.example.com", Name = "api",
            Scopes = [new() { ScopeName = "read", ScopeDescription = "Read" }],
        });
        var machine = new CreateUserPoolClientRequest
        {
            GenerateSecret = true, AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["https://api.example.com/read"],
        };
        var ok = await Create(poolId, machine);
        Assert.Equal(["https://api.example.com/read"], ok.AllowedOAuthScopes!);
        Assert.NotNull(ok.ClientSecret);

        var noSecret = await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, machine with { GenerateSecret = false }));
        Assert.Equal("client_credentials flow can not be selected if client does not have a client secret.", noSecret.Message);
        var mixed = await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, machine with
        {
            AllowedOAuthFlows = ["client_credentials", "code"],
            CallbackURLs = ["https://app.example.com/cb"],
        }));
        Assert.Equal("client_credentials flow can not be selected along with code flow or implicit flow.", mixed.Message);
        var openid = await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, machine with
        {
            AllowedOAuthScopes = ["openid", "https://api.example.com/read"],
        }));
        Assert.Equal("openid is not supported with client_credentials flow.", openid.Message);
        await Assert.ThrowsAsync<ScopeDoesNotExistException>(() => Create(poolId, machine with { AllowedOAuthScopes = ["https://api.example.com/write"] }));
    }

    [Fact]
    public async Task Read_and_write_attributes_must_be_in_the_schema()
    {
        var (poolId, _) = await NewClient();
        var ok = await Create(poolId, new CreateUserPoolClientRequest
        {
            ReadAttributes = ["email", "email_verified", "custom:tenant"], WriteAttributes = ["email", "custom:tenant"],
        });
        Assert.Equal(["email", "email_verified", "custom:tenant"], ok.ReadAttributes!);
        Assert.Equal(["email", "custom:tenant"], ok.WriteAttributes!);

        var read = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { ReadAttributes = ["custom:nope"] }));
        Assert.Equal("Invalid read attributes specified while creating a client", read.Message);
        var write = await Assert.ThrowsAsync<InvalidParameterException>(() => Create(poolId, new CreateUserPoolClientRequest { WriteAttributes = ["email_verified"] }));
        Assert.Equal("Invalid write attributes specified while creating a client", write.Message);
    }

    [Fact]
    public async Task Supported_identity_providers_must_exist_in_the_pool()
    {
        var (poolId, _) = await NewClient();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Create(poolId, new CreateUserPoolClientRequest { SupportedIdentityProviders = ["COGNITO", "Google"] }));
        Assert.Equal($"The provider Google does not exist for User Pool {poolId}", e.Message);
    }

    [Fact]
    public async Task A_CreateUserPoolClient_that_fails_validation_adds_no_client()
    {
        var (poolId, _) = await NewClient();
        var before = (await cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId })).UserPoolClients!.Count;
        await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => Create(poolId, new CreateUserPoolClientRequest
        {
            ClientName = "half-written", AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["openid"],
        }));
        var after = (await cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId })).UserPoolClients!;
        Assert.Equal(before, after.Count);
        Assert.DoesNotContain(after, c => c.ClientName == "half-written");
    }

    [Fact]
    public async Task UpdateUserPoolClient_replaces_the_settings_and_keeps_id_secret_and_creation_date()
    {
        var (poolId, client) = await NewClient(new CreateUserPoolClientRequest
        {
            GenerateSecret = true,
            RefreshTokenValidity = 10,
            PreventUserExistenceErrors = "LEGACY",
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            CallbackURLs = ["https://app.example.com/cb"],
            ReadAttributes = ["email"],
        });
        server.Clock.Advance(TimeSpan.FromSeconds(1));

        var updated = (await cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientId = client.ClientId, ClientName = "renamed", AccessTokenValidity = 2,
        })).UserPoolClient!;

        Assert.Equal("renamed", updated.ClientName);
        Assert.Equal(client.ClientId, updated.ClientId);
        Assert.Equal(client.ClientSecret, updated.ClientSecret);
        Assert.Equal(client.CreationDate, updated.CreationDate);
        Assert.True(updated.LastModifiedDate > client.LastModifiedDate);
        Assert.Equal((2, "hours"), (updated.AccessTokenValidity!.Value, updated.TokenValidityUnits!.AccessToken));
        // Left out of the update: back to the defaults.
        Assert.Equal((30, "days"), (updated.RefreshTokenValidity!.Value, updated.TokenValidityUnits.RefreshToken));
        Assert.Equal("LEGACY", updated.PreventUserExistenceErrors);
        Assert.Equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"], updated.ExplicitAuthFlows!);
        Assert.Null(updated.CallbackURLs);
        Assert.Null(updated.ReadAttributes);

        var described = (await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId })).UserPoolClient!;
        Assert.Equal("renamed", described.ClientName);
        Assert.Equal(updated.LastModifiedDate, described.LastModifiedDate);

        var unnamed = (await cognito.Send(new UpdateUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId })).UserPoolClient!;
        Assert.Equal("renamed", unnamed.ClientName);
    }

    [Fact]
    public async Task UpdateUserPoolClient_checks_like_create_and_refuses_unknown_clients()
    {
        var (poolId, client) = await NewClient();
        await Assert.ThrowsAsync<InvalidOAuthFlowException>(() => cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientId = client.ClientId,
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthFlows = ["client_credentials"], AllowedOAuthScopes = ["openid"],
        }));
        var write = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientId = client.ClientId, WriteAttributes = ["sub"],
        }));
        Assert.Equal("Invalid write attributes specified while updating a client", write.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientId = "unknownclient00000000000000",
        }));
        var (otherPool, _) = await NewClient();
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = otherPool, ClientId = client.ClientId }));
    }

    [Fact]
    public async Task DeleteUserPoolClient_deletes_the_client()
    {
        var (poolId, client) = await NewClient();
        await cognito.Send(new DeleteUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId });
        var gone = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId }));
        Assert.Contains(client.ClientId!, gone.Message);
        Assert.Empty((await cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId })).UserPoolClients!);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new DeleteUserPoolClientRequest { UserPoolId = poolId, ClientId = client.ClientId }));
    }

    [Fact]
    public async Task ListUserPoolClients_pages_client_descriptions()
    {
        var (poolId, first) = await NewClient();
        foreach (var name in new[] { "second", "third" }) await Create(poolId, new CreateUserPoolClientRequest { ClientName = name, GenerateSecret = true });

        var page1 = await cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId, MaxResults = 2 });
        Assert.Equal(2, page1.UserPoolClients!.Count);
        Assert.NotNull(page1.NextToken);
        var page2 = await cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId, MaxResults = 2, NextToken = page1.NextToken });
        Assert.Single(page2.UserPoolClients!);
        Assert.Null(page2.NextToken);
        var all = page1.UserPoolClients.Concat(page2.UserPoolClients!).ToList();
        Assert.Equal(["app", "second", "third"], all.Select(c => c.ClientName).Order());
        Assert.All(all, c => Assert.Equal(poolId, c.UserPoolId));
        Assert.Contains(all, c => c.ClientId == first.ClientId);

        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListUserPoolClientsRequest { UserPoolId = poolId, MaxResults = 61 }));
        Assert.Contains("'maxResults'", e.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new ListUserPoolClientsRequest { UserPoolId = "us-east-1_Missing00" }));
        var (otherPool, _) = await NewClient();
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new ListUserPoolClientsRequest { UserPoolId = otherPool, MaxResults = 2, NextToken = page1.NextToken }));
    }
}
