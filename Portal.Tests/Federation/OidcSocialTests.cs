using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>The social provider types' own ways, against a stand-in provider: Facebook's GET token request and
/// userInfo fields, Login with Amazon's user_id, Sign in with Apple's ES256 client secret.</summary>
[Collection(OidcCollection.Name)]
public sealed class OidcSocialTests(OidcFixture f) : IAsyncLifetime
{
    OidcStubProvider stub = null!;
    readonly ECDsa appleKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public async Task InitializeAsync() => stub = await OidcStubProvider.Start();
    public async Task DisposeAsync() => await stub.DisposeAsync();

    /// <summary>A fresh pool with one provider of the type, and a client offering it.</summary>
    async Task<(string PoolId, string Domain, string ClientId)> Pool(string type, Dictionary<string, string> details, Dictionary<string, string> mapping)
    {
        var pool = (await f.Cognito.Send(new CreateUserPoolRequest { PoolName = "social-" + type })).UserPool!.Id!;
        var domain = "soc-" + Guid.NewGuid().ToString("n")[..8];
        await f.Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = type, ProviderType = type, ProviderDetails = details, AttributeMapping = mapping,
        });
        var client = await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = [type], CallbackURLs = [OidcFixture.Callback],
        });
        return (pool, domain, client.UserPoolClient!.ClientId!);
    }

    async Task<HttpUser.Step> SignIn(string domain, string clientId, string provider)
    {
        using var user = f.NewUser();
        return await user.Follow(await user.Get($"{f.Server.BaseUrl}/{domain}/oauth2/authorize?client_id={clientId}&response_type=code" +
            $"&scope=openid&redirect_uri={Uri.EscapeDataString(OidcFixture.Callback)}&identity_provider={provider}"));
    }

    [Fact]
    public async Task Facebook_asks_for_the_token_with_get_and_reads_the_mapped_fields_from_the_graph()
    {
        stub.Reset();
        var (pool, domain, client) = await Pool("Facebook", new()
        {
            ["client_id"] = stub.ClientId, ["client_secret"] = "fb-secret", ["authorize_scopes"] = "public_profile,email",
            ["authorize_url"] = stub.Issuer + "/authorize", ["token_url"] = stub.Issuer + "/token", ["attributes_url"] = stub.Issuer + "/userinfo?fields=",
        }, new() { ["email"] = "email", ["name"] = "name" });
        var step = await SignIn(domain, client, "Facebook");
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());
        Assert.Equal("GET", stub.LastTokenRequest!.Value.Method);
        Assert.Equal("fb-secret", stub.LastTokenRequest.Value.Values["client_secret"]);
        Assert.Contains("fields=", stub.LastUserInfo!.Value.Query);
        Assert.Contains("email", Uri.UnescapeDataString(stub.LastUserInfo.Value.Query));
        Assert.Equal("Bearer stub-access", stub.LastUserInfo.Value.Authorization);
        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "Facebook_stub-user" });
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
        Assert.Contains(user.UserAttributes!, a => a.Name == "name" && a.Value == "Stub User");
        Assert.Contains(user.UserAttributes!, a => a.Name == "identities" && a.Value!.Contains("\"providerType\":\"Facebook\""));
    }

    [Fact]
    public async Task Login_with_amazon_names_the_user_by_user_id()
    {
        stub.Reset();
        var (pool, domain, client) = await Pool("LoginWithAmazon", new()
        {
            ["client_id"] = stub.ClientId, ["client_secret"] = "amzn-secret", ["authorize_scopes"] = "profile",
            ["authorize_url"] = stub.Issuer + "/authorize", ["token_url"] = stub.Issuer + "/token", ["attributes_url"] = stub.Issuer + "/userinfo",
        }, new() { ["email"] = "email" });
        var step = await SignIn(domain, client, "LoginWithAmazon");
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());
        Assert.Equal("POST", stub.LastTokenRequest!.Value.Method);
        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "LoginWithAmazon_stub-user" });
        Assert.Contains(user.UserAttributes!, a => a.Name == "email" && a.Value == "stub@stub.example");
    }

    [Fact]
    public async Task Sign_in_with_apple_sends_an_es256_client_secret_signed_with_the_team_key()
    {
        stub.Reset();
        stub.Subject = "000123.apple.user";
        var (pool, domain, client) = await Pool("SignInWithApple", new()
        {
            ["client_id"] = stub.ClientId, ["team_id"] = "TEAM123456", ["key_id"] = "KEY1234567", ["authorize_scopes"] = "email name",
            ["private_key"] = appleKey.ExportPkcs8PrivateKeyPem(),
            ["authorize_url"] = stub.Issuer + "/authorize", ["token_url"] = stub.Issuer + "/token", ["oidc_issuer"] = stub.Issuer,
            ["jwks_uri"] = stub.Issuer + "/jwks",
        }, new() { ["email"] = "email" });
        var step = await SignIn(domain, client, "SignInWithApple");
        Assert.StartsWith(OidcFixture.Callback, step.Location!.ToString());

        var secret = stub.LastTokenRequest!.Value.Values["client_secret"];
        var checkedSecret = await new JsonWebTokenHandler().ValidateTokenAsync(secret, new TokenValidationParameters
        {
            IssuerSigningKey = new ECDsaSecurityKey(ECDsa.Create(appleKey.ExportParameters(false))), ValidIssuer = "TEAM123456",
            ValidAudience = stub.Issuer,
        });
        Assert.True(checkedSecret.IsValid, checkedSecret.Exception?.Message);
        var jwt = (JsonWebToken)checkedSecret.SecurityToken;
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal("KEY1234567", jwt.Kid);
        Assert.Equal(stub.ClientId, jwt.Subject);
        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "SignInWithApple_000123.apple.user" });
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
    }

    [Fact]
    public async Task Apple_needs_a_valid_private_key()
    {
        var pool = (await f.Cognito.Send(new CreateUserPoolRequest { PoolName = "apple-bad" })).UserPool!.Id!;
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "SignInWithApple", ProviderType = "SignInWithApple",
            ProviderDetails = new() { ["client_id"] = "c", ["team_id"] = "t", ["key_id"] = "k", ["private_key"] = "not a key", ["authorize_scopes"] = "email" },
        }));
        Assert.Contains("private_key", e.Message);
    }
}
