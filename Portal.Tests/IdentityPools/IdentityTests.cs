using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Identities: GetId for guests and logins (both login key forms), verification of user-pool tokens, linking,
/// merging, unlinking, listing and deleting, and the identity OpenID tokens with their JWKS and discovery.</summary>
[Collection(ServerCollection.Name)]
public sealed class IdentityTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);

    [Fact]
    public async Task A_user_pool_login_names_one_identity_under_either_login_key()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);

        var byAwsKey = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [user.ProviderName] = user.IdToken } })).IdentityId!;
        Assert.Matches(@"^us-east-1:[0-9a-f-]{36}$", byAwsKey);
        var byIssuerKey = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [kit.AmplifyKey(app.PoolId)] = user.IdToken } })).IdentityId;
        Assert.Equal(byAwsKey, byIssuerKey);

        var described = await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = byAwsKey });
        Assert.Equal([user.ProviderName], described.Logins);
        Assert.NotNull(described.CreationDate);

        var other = await kit.SignIn(app);
        var otherId = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [other.ProviderName] = other.IdToken } })).IdentityId;
        Assert.NotEqual(byAwsKey, otherId);

        var listed = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 1 });
        Assert.Single(listed.Identities!);
        Assert.NotNull(listed.NextToken);
        var rest = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60, NextToken = listed.NextToken });
        Assert.Equal(new[] { byAwsKey, otherId }.Order(), listed.Identities!.Concat(rest.Identities!).Select(i => i.IdentityId).Order());
        Assert.Null(rest.NextToken);

        await kit.Admin.Send(new DeleteIdentitiesRequest { IdentityIdsToDelete = [otherId!] });
        var gone = await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeIdentityRequest { IdentityId = otherId }));
        Assert.Equal($"Identity '{otherId}' not found.", gone.Message);
        // The login is free again: it names a new identity.
        var again = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [other.ProviderName] = other.IdToken } })).IdentityId;
        Assert.NotEqual(otherId, again);
    }

    [Fact]
    public async Task Concurrent_first_sign_ins_of_one_login_get_one_identity()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => kit.Anonymous.Send(new GetIdRequest
        {
            IdentityPoolId = pool, Logins = new() { [i % 2 == 0 ? user.ProviderName : kit.AmplifyKey(app.PoolId)] = user.IdToken },
        })));
        Assert.Single(ids.Select(r => r.IdentityId).Distinct());
        var listed = await kit.Admin.Send(new ListIdentitiesRequest { IdentityPoolId = pool, MaxResults = 60 });
        Assert.Equal(ids[0].IdentityId, Assert.Single(listed.Identities!).IdentityId);
    }

    [Fact]
    public async Task Guests_get_identities_only_where_the_pool_allows_them()
    {
        var open = (await kit.Pool(null, guests: true)).IdentityPoolId;
        var first = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = open })).IdentityId;
        var second = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = open })).IdentityId;
        Assert.NotEqual(first, second);
        var token = await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = first });
        Assert.Equal(first, token.IdentityId);
        var claims = IdentityKit.Claims(token.Token!);
        Assert.Equal(["unauthenticated"], claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));

        var closed = (await kit.Pool(null, guests: false)).IdentityPoolId;
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = closed }));
        Assert.Equal("Unauthenticated access is not supported for this identity pool.", refused.Message);
        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = "us-east-1:00000000-0000-0000-0000-000000000000" }));
        Assert.Equal("IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.", missing.Message);
    }

    [Fact]
    public async Task Logins_are_verified_and_refused_with_Cognitos_errors()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        async Task<NotAuthorizedException> Refused(string key, string token) =>
            await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = new() { [key] = token } }));

        Assert.Equal("Token is not from a supported provider of this identity pool.", (await Refused("graph.facebook.com", "token")).Message);
        var otherPool = await kit.UserPool();
        var stranger = await kit.SignIn(otherPool);
        Assert.Equal("Token is not from a supported provider of this identity pool.", (await Refused(stranger.ProviderName, stranger.IdToken)).Message);
        // A token of another pool under this pool's key: its issuer does not match.
        Assert.StartsWith("Invalid login token.", (await Refused(user.ProviderName, stranger.IdToken)).Message);
        // Access tokens are not identity tokens.
        Assert.StartsWith("Invalid login token.", (await Refused(user.ProviderName, user.AccessToken)).Message);
        // A changed payload breaks the signature.
        var parts = user.IdToken.Split('.');
        var forged = IdentityKit.Claims(user.IdToken).GetRawText().Replace(user.Sub, Guid.NewGuid().ToString());
        var tampered = $"{parts[0]}.{Jwt.Base64Url(System.Text.Encoding.UTF8.GetBytes(forged))}.{parts[2]}";
        Assert.Equal("Invalid login token. Couldn't verify signed token.", (await Refused(user.ProviderName, tampered)).Message);

        // A second app client of the same user pool is not the configured one.
        var otherClient = await kit.Auth.Client(app.PoolId);
        var viaOtherClient = await kit.SignIn(otherClient);
        Assert.Equal("Invalid login token. Incorrect token audience.", (await Refused(user.ProviderName, viaOtherClient.IdToken)).Message);
    }

    [Fact]
    public async Task ServerSideTokenCheck_refuses_a_token_whose_user_signed_out()
    {
        var app = await kit.UserPool();
        var checkedPool = (await kit.Pool(app, serverSideTokenCheck: true)).IdentityPoolId;
        var uncheckedPool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = checkedPool, Logins = new() { [user.ProviderName] = user.IdToken } });

        await kit.Anonymous.Send(new GlobalSignOutRequest { AccessToken = user.AccessToken });
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = checkedPool, Logins = new() { [user.ProviderName] = user.IdToken } }));
        Assert.StartsWith("Invalid login token.", refused.Message);
        // Without the check the token is good until it expires, as in Cognito.
        await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = uncheckedPool, Logins = new() { [user.ProviderName] = user.IdToken } });
    }

    [Fact]
    public async Task A_global_sign_out_in_the_same_second_as_the_sign_in_ends_the_tokens_and_a_later_sign_in_of_that_second_lives()
    {
        var app = await kit.UserPool();
        var checkedPool = (await kit.Pool(app, serverSideTokenCheck: true)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var claims = IdentityKit.Claims(user.IdToken);
        var second = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("iat").GetInt64());
        var family = claims.GetProperty("origin_jti").GetString()!;
        // Signed in at .100 and signed out at .500 of the token's own second. The sign-out is written straight to the user, so
        // only the sign-out time can end the token (not the family list global sign-out also writes).
        async Task SignedInAt(int milliseconds) => await kit.Auth.Db(db => db.RefreshTokens.Where(r => r.OriginJti == family)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.IssuedAt, second.AddMilliseconds(milliseconds))));
        await SignedInAt(100);
        await kit.Auth.Db(db => db.Users.Where(u => u.Sub == user.Sub)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.TokensValidAfter, second.AddMilliseconds(500))));

        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = checkedPool, Logins = logins }));
        Assert.Equal("Invalid login token. Token has been revoked.", refused.Message);
        Assert.Equal("Access Token has been revoked",
            (await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetUserRequest { AccessToken = user.AccessToken }))).Message);

        // The same tokens had they come from a sign-in at .800, after the sign-out: both work.
        await SignedInAt(800);
        await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = checkedPool, Logins = logins });
        await kit.Anonymous.Send(new GetUserRequest { AccessToken = user.AccessToken });
    }

    [Fact]
    public async Task A_guest_that_signs_in_with_a_known_login_becomes_that_identity_and_an_authenticated_identity_needs_its_logins()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var known = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;

        var guest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        var merged = await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = guest, Logins = logins });
        Assert.Equal(known, merged.IdentityId);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => kit.Admin.Send(new DescribeIdentityRequest { IdentityId = guest }));

        // A fresh guest signing in with a login nobody holds keeps its id and becomes authenticated.
        var newcomer = await kit.SignIn(app);
        var freshGuest = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool })).IdentityId;
        var linked = await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = freshGuest, Logins = new() { [newcomer.ProviderName] = newcomer.IdToken } });
        Assert.Equal(freshGuest, linked.IdentityId);
        Assert.Equal([newcomer.ProviderName], (await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = freshGuest })).Logins);

        var forbidden = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = known }));
        Assert.Equal($"Access to Identity '{known}' is forbidden.", forbidden.Message);
        var mismatch = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.Anonymous.Send(new GetOpenIdTokenRequest
        {
            IdentityId = known, Logins = new() { [newcomer.ProviderName] = newcomer.IdToken },
        }));
        Assert.Equal("Logins don't match. Please include at least one valid login for this identity or identity pool.", mismatch.Message);
    }

    [Fact]
    public async Task UnlinkIdentity_frees_a_login_for_a_new_identity()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;

        await kit.Anonymous.Send(new UnlinkIdentityRequest { IdentityId = identity, Logins = logins, LoginsToRemove = [kit.AmplifyKey(app.PoolId)] });
        Assert.Empty((await kit.Admin.Send(new DescribeIdentityRequest { IdentityId = identity })).Logins!);
        var next = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId;
        Assert.NotEqual(identity, next);
    }

    [Fact]
    public async Task Identity_tokens_name_the_identity_and_verify_against_the_published_issuer()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId!;
        var user = await kit.SignIn(app);
        var logins = new Dictionary<string, string> { [user.ProviderName] = user.IdToken };
        var identity = (await kit.Anonymous.Send(new GetIdRequest { IdentityPoolId = pool, Logins = logins })).IdentityId!;
        var token = (await kit.Anonymous.Send(new GetOpenIdTokenRequest { IdentityId = identity, Logins = logins })).Token!;

        var claims = IdentityKit.Claims(token);
        Assert.Equal($"{server.BaseUrl}/identity", claims.GetProperty("iss").GetString());
        Assert.Equal(pool, claims.GetProperty("aud").GetString());
        Assert.Equal(identity, claims.GetProperty("sub").GetString());
        Assert.Equal(["authenticated", user.ProviderName, $"{user.ProviderName}:CognitoSignIn:{user.Sub}"],
            claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());

        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>($"{server.BaseUrl}/identity/.well-known/openid-configuration");
        Assert.Equal($"{server.BaseUrl}/identity", discovery.GetProperty("issuer").GetString());
        var jwks = await http.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());
        var kid = AuthKitHeader(token).GetProperty("kid").GetString();
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Jwt.FromBase64Url(jwk.GetProperty("n").GetString()!), Exponent = Jwt.FromBase64Url(jwk.GetProperty("e").GetString()!),
        });
        var parts = token.Split('.');
        Assert.True(rsa.VerifyData(System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Jwt.FromBase64Url(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    static JsonElement AuthKitHeader(string jwt) => JsonDocument.Parse(Jwt.FromBase64Url(jwt.Split('.')[0])).RootElement;
}
