using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The tokens themselves: Cognito's claims, validities, signing keys, JWKS and discovery, rotation, storage.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    [Fact]
    public async Task Id_and_access_tokens_carry_Cognitos_claims()
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "team", AttributeDataType = "String", Mutable = true }],
        });
        await kit.User(app.PoolId, "alice", attributes:
            [("email", "alice@example.com"), ("email_verified", "true"), ("phone_number", "+15555550100"), ("custom:team", "blue")]);
        await kit.Admin.Send(new CreateGroupRequest { UserPoolId = app.PoolId, GroupName = "readers", Precedence = 5 });
        await kit.Admin.Send(new CreateGroupRequest { UserPoolId = app.PoolId, GroupName = "admins", Precedence = 1, RoleArn = "arn:aws:iam::000000000000:role/admins" });
        foreach (var g in new[] { "readers", "admins" })
            await kit.Admin.Send(new AdminAddUserToGroupRequest { UserPoolId = app.PoolId, Username = "alice", GroupName = g });
        var sub = (await kit.Row(app.PoolId, "alice")).Sub;

        var result = (await kit.PasswordSignIn(app, "alice")).AuthenticationResult!;
        var issuer = $"{server.BaseUrl}/{app.PoolId}";

        var idHeader = AuthKit.Header(result.IdToken!);
        Assert.Equal("RS256", idHeader.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(idHeader.GetProperty("kid").GetString()));

        var id = AuthKit.Claims(result.IdToken!);
        Assert.Equal(sub, id.GetProperty("sub").GetString());
        Assert.Equal(["admins", "readers"], id.GetProperty("cognito:groups").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("arn:aws:iam::000000000000:role/admins", id.GetProperty("cognito:preferred_role").GetString());
        Assert.Equal(JsonValueKind.True, id.GetProperty("email_verified").ValueKind);
        Assert.Equal("alice@example.com", id.GetProperty("email").GetString());
        Assert.Equal("+15555550100", id.GetProperty("phone_number").GetString());
        Assert.Equal("blue", id.GetProperty("custom:team").GetString());
        Assert.Equal("alice", id.GetProperty("cognito:username").GetString());
        Assert.Equal(app.ClientId, id.GetProperty("aud").GetString());
        Assert.Equal(issuer, id.GetProperty("iss").GetString());
        Assert.Equal("id", id.GetProperty("token_use").GetString());
        foreach (var claim in new[] { "auth_time", "exp", "iat" }) Assert.Equal(JsonValueKind.Number, id.GetProperty(claim).ValueKind);
        foreach (var claim in new[] { "jti", "origin_jti", "event_id" }) Assert.True(Guid.TryParse(id.GetProperty(claim).GetString(), out _));
        Assert.Equal(3600, id.GetProperty("exp").GetInt64() - id.GetProperty("iat").GetInt64());

        var access = AuthKit.Claims(result.AccessToken!);
        Assert.Equal(sub, access.GetProperty("sub").GetString());
        Assert.Equal(["admins", "readers"], access.GetProperty("cognito:groups").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(issuer, access.GetProperty("iss").GetString());
        Assert.Equal(app.ClientId, access.GetProperty("client_id").GetString());
        Assert.Equal("access", access.GetProperty("token_use").GetString());
        Assert.Equal("aws.cognito.signin.user.admin", access.GetProperty("scope").GetString());
        Assert.Equal("alice", access.GetProperty("username").GetString());
        Assert.False(access.TryGetProperty("aud", out _));
        Assert.False(access.TryGetProperty("email", out _));
        Assert.Equal(id.GetProperty("origin_jti").GetString(), access.GetProperty("origin_jti").GetString());
        Assert.Equal(id.GetProperty("event_id").GetString(), access.GetProperty("event_id").GetString());
        Assert.NotEqual(id.GetProperty("jti").GetString(), access.GetProperty("jti").GetString());
        Assert.Equal(AuthKit.Header(result.AccessToken!).GetProperty("kid").GetString(), idHeader.GetProperty("kid").GetString());

        // A refresh reads the groups with its token: the same groups in the same order, and a group left is gone.
        await kit.Admin.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = app.PoolId, Username = "alice", GroupName = "readers" });
        await kit.Admin.Send(new CreateGroupRequest { UserPoolId = app.PoolId, GroupName = "auditors", Precedence = 3 });
        await kit.Admin.Send(new AdminAddUserToGroupRequest { UserPoolId = app.PoolId, Username = "alice", GroupName = "auditors" });
        var renewed = (await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = result.RefreshToken! },
        })).AuthenticationResult!;
        foreach (var token in new[] { renewed.IdToken!, renewed.AccessToken! })
            Assert.Equal(["admins", "auditors"], AuthKit.Claims(token).GetProperty("cognito:groups").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task Validities_and_read_attributes_come_from_the_app_client()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest
        {
            IdTokenValidity = 2, AccessTokenValidity = 30, RefreshTokenValidity = 10,
            TokenValidityUnits = new TokenValidityUnitsType { IdToken = "hours", AccessToken = "minutes", RefreshToken = "hours" },
            ReadAttributes = ["email", "email_verified"],
        });
        await kit.User(app.PoolId, "bob", attributes: [("email", "bob@example.com"), ("phone_number", "+15555550101")]);
        var result = (await kit.PasswordSignIn(app, "bob")).AuthenticationResult!;
        Assert.Equal(1800, result.ExpiresIn);
        var id = AuthKit.Claims(result.IdToken!);
        Assert.Equal(7200, id.GetProperty("exp").GetInt64() - id.GetProperty("iat").GetInt64());
        Assert.Equal("bob@example.com", id.GetProperty("email").GetString());
        Assert.False(id.TryGetProperty("phone_number", out _));
        var access = AuthKit.Claims(result.AccessToken!);
        Assert.Equal(1800, access.GetProperty("exp").GetInt64() - access.GetProperty("iat").GetInt64());

        var stored = await kit.Db(db => db.RefreshTokens.AsNoTracking().SingleAsync(r => r.TokenHash == Tokens.Hash(result.RefreshToken!)));
        Assert.InRange(stored.ExpiresAt - stored.IssuedAt, TimeSpan.FromHours(10) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(10) + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Tokens_verify_with_the_key_published_in_the_pools_JWKS()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "carol");
        var result = (await kit.PasswordSignIn(app, "carol")).AuthenticationResult!;

        using var jwks = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{app.PoolId}/.well-known/jwks.json"));
        var kid = AuthKit.Header(result.AccessToken!).GetProperty("kid").GetString();
        var key = jwks.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Jwt.FromBase64Url(key.GetProperty("n").GetString()!), Exponent = Jwt.FromBase64Url(key.GetProperty("e").GetString()!),
        });
        Assert.Equal(2048, rsa.KeySize);
        foreach (var token in new[] { result.AccessToken!, result.IdToken! })
        {
            var parts = token.Split('.');
            Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Jwt.FromBase64Url(parts[2]),
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        var otherPool = await kit.Pool();
        using var otherJwks = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{otherPool.PoolId}/.well-known/jwks.json"));
        Assert.DoesNotContain(otherJwks.RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
    }

    [Fact]
    public async Task Discovery_document_names_the_issuer_the_keys_and_the_hosted_UI_endpoints()
    {
        var app = await kit.Pool();
        var domain = $"auth-{Guid.NewGuid():n}"[..20];
        using (var bare = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{app.PoolId}/.well-known/openid-configuration")))
        {
            var d = bare.RootElement;
            Assert.Equal($"{server.BaseUrl}/{app.PoolId}", d.GetProperty("issuer").GetString());
            Assert.Equal($"{server.BaseUrl}/{app.PoolId}/.well-known/jwks.json", d.GetProperty("jwks_uri").GetString());
            Assert.Equal(["RS256"], d.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.Equal(["public"], d.GetProperty("subject_types_supported").EnumerateArray().Select(e => e.GetString()!).ToArray());
            Assert.False(d.TryGetProperty("authorization_endpoint", out _));
        }
        await kit.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = app.PoolId, Domain = domain });
        using var withDomain = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{app.PoolId}/.well-known/openid-configuration"));
        var doc = withDomain.RootElement;
        var ui = $"{server.BaseUrl}/{domain}";
        Assert.Equal($"{ui}/oauth2/authorize", doc.GetProperty("authorization_endpoint").GetString());
        Assert.Equal($"{ui}/oauth2/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{ui}/oauth2/userInfo", doc.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal($"{ui}/oauth2/revoke", doc.GetProperty("revocation_endpoint").GetString());
        Assert.Equal($"{ui}/logout", doc.GetProperty("end_session_endpoint").GetString());
        foreach (var member in new[] { "response_types_supported", "scopes_supported", "token_endpoint_auth_methods_supported", "claims_supported" })
            Assert.True(doc.GetProperty(member).GetArrayLength() > 0, member);

        foreach (var path in new[] { "jwks.json", "openid-configuration" })
        {
            var missing = await kit.Http.GetAsync($"/us-east-1_Nonexist0/.well-known/{path}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/json", missing.Content.Headers.ContentType?.MediaType);
            using var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
            Assert.Equal("ResourceNotFoundException", error.RootElement.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Rotation_signs_with_a_new_key_and_keeps_the_old_one_published()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "dave");
        var before = (await kit.PasswordSignIn(app, "dave")).AuthenticationResult!;
        var oldKid = AuthKit.Header(before.AccessToken!).GetProperty("kid").GetString();

        string newKid;
        await using (var scope = server.Services.CreateAsyncScope())
            newKid = (await scope.ServiceProvider.GetRequiredService<SigningKeys>().Rotate(app.PoolId, CancellationToken.None)).Kid;
        Assert.NotEqual(oldKid, newKid);

        var after = (await kit.PasswordSignIn(app, "dave")).AuthenticationResult!;
        Assert.Equal(newKid, AuthKit.Header(after.AccessToken!).GetProperty("kid").GetString());
        using var jwks = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{app.PoolId}/.well-known/jwks.json"));
        var kids = jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Equal([newKid, oldKid], kids);
        Assert.Equal("dave", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = before.AccessToken })).Username);
        Assert.Equal("dave", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = after.AccessToken })).Username);
    }

    [Fact]
    public async Task Private_keys_are_protected_and_refresh_tokens_are_stored_only_as_hashes()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "erin");
        var result = (await kit.PasswordSignIn(app, "erin")).AuthenticationResult!;
        var key = await kit.Db(db => db.SigningKeys.AsNoTracking().SingleAsync(k => k.UserPoolId == app.PoolId));
        using var rsa = RSA.Create();
        Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key.PrivateKey), out _));

        var rows = await kit.Db(db => db.RefreshTokens.AsNoTracking().Where(r => r.UserPoolId == app.PoolId).ToListAsync());
        var row = Assert.Single(rows);
        Assert.NotEqual(result.RefreshToken, row.TokenHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(result.RefreshToken!))), row.TokenHash);
        Assert.Equal(AuthKit.Claims(result.AccessToken!).GetProperty("origin_jti").GetString(), row.OriginJti);
        Assert.Equal(app.ClientId, row.ClientId);
    }
}

/// <summary>What depends on time (expiry, retirement of keys) and on the host the client used (issuer without PublicBaseUrl).</summary>
[Collection(ClockedCollection.Name)]
public sealed class ClockedTokenTests(ClockedServer server)
{
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    [Fact]
    public async Task Access_tokens_expire_after_their_validity()
    {
        var app = await kit.Pool(client: new CreateUserPoolClientRequest
        {
            RefreshTokenValidity = 3, TokenValidityUnits = new TokenValidityUnitsType { RefreshToken = "hours" },
        });
        await kit.User(app.PoolId, "fay");
        var tokens = (await kit.PasswordSignIn(app, "fay")).AuthenticationResult!;
        Assert.Equal("fay", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken })).Username);
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = tokens.AccessToken }));
        Assert.Equal("Access Token has expired", e.Message);
        // The refresh token still stands.
        var refreshed = await kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = tokens.RefreshToken! },
        });
        Assert.Equal("fay", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = refreshed.AuthenticationResult!.AccessToken })).Username);
        server.Clock.Advance(TimeSpan.FromHours(2));
        var expired = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = tokens.RefreshToken! },
        }));
        Assert.Equal("Refresh Token has expired", expired.Message);
    }

    [Fact]
    public async Task Without_a_public_base_url_the_issuer_is_the_listening_address_whatever_host_the_client_used()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "gus");
        var viaLocalhost = new RemoteCognito(new HttpClient { BaseAddress = new Uri($"http://localhost:{server.Port}/") }, null);
        var one = (await kit.PasswordSignIn(app, "gus")).AuthenticationResult!;
        var two = (await viaLocalhost.Send(new InitiateAuthRequest
        {
            ClientId = app.ClientId, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = "gus", ["PASSWORD"] = AuthKit.Password },
        })).AuthenticationResult!;
        Assert.Equal($"http://127.0.0.1:{server.Port}/{app.PoolId}", AuthKit.Claims(one.AccessToken!).GetProperty("iss").GetString());
        Assert.Equal($"http://127.0.0.1:{server.Port}/{app.PoolId}", AuthKit.Claims(two.AccessToken!).GetProperty("iss").GetString());
        using var discovery = JsonDocument.Parse(await new HttpClient().GetStringAsync($"http://localhost:{server.Port}/{app.PoolId}/.well-known/openid-configuration"));
        Assert.Equal($"http://127.0.0.1:{server.Port}/{app.PoolId}", discovery.RootElement.GetProperty("issuer").GetString());
        // Either way the token is Portal's.
        Assert.Equal("gus", (await kit.Anonymous.Send(new GetUserRequest { AccessToken = two.AccessToken })).Username);
    }

    [Fact]
    public async Task By_default_a_Host_that_is_not_Portal_s_own_is_refused()
    {
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/healthz");
        forged.Headers.Host = "evil.example";
        using var answer = await new HttpClient().SendAsync(forged);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task Retired_keys_leave_the_JWKS_once_their_tokens_have_expired()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "hal");
        var tokens = (await kit.PasswordSignIn(app, "hal")).AuthenticationResult!;
        var oldKid = AuthKit.Header(tokens.AccessToken!).GetProperty("kid").GetString();
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SigningKeys>().Rotate(app.PoolId, CancellationToken.None);
        async Task<List<string?>> Kids()
        {
            using var jwks = JsonDocument.Parse(await kit.Http.GetStringAsync($"/{app.PoolId}/.well-known/jwks.json"));
            return jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        }
        server.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Contains(oldKid, await Kids());
        server.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var kids = await Kids();
        Assert.DoesNotContain(oldKid, kids);
        Assert.Single(kids);
    }
}
