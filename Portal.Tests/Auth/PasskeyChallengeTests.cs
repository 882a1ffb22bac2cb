using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Auth.Passkeys;
using Portal.Server.Engine;
using Portal.Server.HostedUi.Operations;
using Portal.Server.Storage;

namespace Portal.Tests.Auth;

/// <summary>
/// The hosted login page's passkey sign-in (a WEB_AUTHN sign-in that names no user): every view of the page starts one,
/// so its challenge is stateless (a protected Session bound to the pool, the client and an expiry) and nothing is written
/// until an assertion comes back; then the challenge is used up once, under a unique key, and a replay is refused.
/// Driven through the engine as the login page drives it, with a software authenticator (a real P-256 key pair).
/// </summary>
[Collection(ClockedCollection.Name)]
public class PasskeyChallengeTests(ClockedServer server)
{
    const string Origin = "http://localhost:3000";
    readonly AuthKit kit = new(server, inProcessAdmin: true);

    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    async Task<(AuthKit.App App, SoftwarePasskey Passkey, string Sub)> PoolWithPasskey()
    {
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            UserPoolTier = "ESSENTIALS",
            Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "WEB_AUTHN"] } },
        });
        await kit.Admin.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = app.PoolId, WebAuthnConfiguration = new WebAuthnConfigurationType { RelyingPartyId = "localhost", UserVerification = "preferred" },
        });
        await kit.User(app.PoolId, "petra");
        var sub = (await kit.Row(app.PoolId, "petra")).Sub;
        var passkey = new SoftwarePasskey(sub);
        // The registration itself is CompleteWebAuthnRegistration's (covered by passkeys.test.js); here the key is stored.
        await kit.Db(async db =>
        {
            db.WebAuthnCredentials.Add(new WebAuthnCredentialRow
            {
                UserPoolId = app.PoolId, UserSub = sub, CredentialId = passkey.Id, PublicKey = passkey.CoseKey, Name = "Passkey",
                RelyingPartyId = "localhost", CreatedAt = server.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });
        return (app, passkey, sub);
    }

    Task<HostedAuthResponse> Offer(AuthKit.App app) => Engine.Send(new HostedAuthRequest
    {
        Action = HostedAuthAction.Initiate, ClientId = app.ClientId, AuthFlow = "USER_AUTH",
        Parameters = new() { ["PREFERRED_CHALLENGE"] = "WEB_AUTHN" },
    });

    Task<HostedAuthResponse> Answer(AuthKit.App app, string? session, string credential) => Engine.Send(new HostedAuthRequest
    {
        Action = HostedAuthAction.Respond, ClientId = app.ClientId, ChallengeName = "WEB_AUTHN", Session = session,
        Parameters = new() { ["CREDENTIAL"] = credential },
    });

    Task<int> AuthSessionRows(string poolId) => kit.Db(db => db.AuthSessions.CountAsync(s => s.UserPoolId == poolId));

    [Fact]
    public async Task Passkey_login_page_views_write_no_auth_session_and_the_assertion_signs_in_once()
    {
        var (app, passkey, sub) = await PoolWithPasskey();
        var before = await AuthSessionRows(app.PoolId);
        var offers = new List<HostedAuthResponse>();
        for (var i = 0; i < 5; i++) offers.Add(await Offer(app));
        Assert.All(offers, o => Assert.Equal("WEB_AUTHN", o.ChallengeName));
        Assert.Equal(before, await AuthSessionRows(app.PoolId));

        var offer = offers[2];
        var signed = await Answer(app, offer.Session, passkey.Assert(offer.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], Origin));
        Assert.Equal(sub, signed.SignedInSub);
        // The answer used the challenge up: one row, expiring with it.
        Assert.Equal(before + 1, await AuthSessionRows(app.PoolId));

        // The same challenge answered again, even with a fresh signature from the right authenticator, is refused.
        var replay = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            Answer(app, offer.Session, passkey.Assert(offer.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], Origin)));
        Assert.Equal("Invalid session for the user.", replay.Message);
        // Another view's challenge is still good.
        Assert.Equal(sub, (await Answer(app, offers[4].Session, passkey.Assert(offers[4].ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], Origin))).SignedInSub);
    }

    [Fact]
    public async Task A_passkey_challenge_raced_by_parallel_answers_signs_in_exactly_once()
    {
        var (app, passkey, _) = await PoolWithPasskey();
        var offer = await Offer(app);
        var options = offer.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"];
        var credentials = Enumerable.Range(0, 6).Select(_ => passkey.Assert(options, Origin)).ToList();
        var answers = await Task.WhenAll(credentials.Select(async c =>
        {
            try
            {
                return (await Answer(app, offer.Session, c)).SignedInSub;
            }
            catch (NotAuthorizedException)
            {
                return null;
            }
        }));
        Assert.Single(answers, a => a is not null);
    }

    [Fact]
    public async Task A_passkey_challenge_of_another_client_tampered_or_expired_is_refused()
    {
        var (app, passkey, _) = await PoolWithPasskey();
        var other = await kit.Client(app.PoolId);
        var offer = await Offer(app);
        var options = offer.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"];

        // Bound to the client it was issued to.
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() => Answer(other, offer.Session, passkey.Assert(options, Origin)));
        Assert.Equal("Invalid session for the user.", e.Message);
        // Protected: one changed character and it is not a session at all.
        var session = offer.Session!;
        var tampered = session[..^3] + (session[^3] == 'A' ? 'B' : 'A') + session[^2..];
        e = await Assert.ThrowsAsync<NotAuthorizedException>(() => Answer(app, tampered, passkey.Assert(options, Origin)));
        Assert.Equal("Invalid session for the user.", e.Message);
        // A stored session's value in its place is not one either.
        Assert.True(DiscoverableChallenges.Carries(session));
        Assert.False(DiscoverableChallenges.Carries("AbC_-123"));

        // Expired with the client's session validity (3 minutes by default).
        server.Clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        e = await Assert.ThrowsAsync<NotAuthorizedException>(() => Answer(app, offer.Session, passkey.Assert(options, Origin)));
        Assert.Equal("Invalid session for the user, session is expired.", e.Message);
    }
}

/// <summary>The same on PostgreSQL: the used-challenge insert's conflict and the race hold on the other provider.</summary>
[Collection(PostgresClockedCollection.Name)]
public sealed class PostgresPasskeyChallengeTests(PostgresClockedServer server) : PasskeyChallengeTests(server);

/// <summary>A software passkey: a P-256 key pair whose assertions (AuthenticationResponseJSON, ES256) are what a browser
/// hands over; discoverable, so it names its user (the user handle is the user's sub, as Portal registers it).</summary>
sealed class SoftwarePasskey(string sub)
{
    readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    readonly byte[] credentialId = RandomNumberGenerator.GetBytes(32);
    uint counter;

    public string Id => Base64Url(credentialId);

    /// <summary>The COSE_Key (EC2, ES256) of the public key, as the attestation carries it.</summary>
    public byte[] CoseKey
    {
        get
        {
            var p = key.ExportParameters(false);
            var w = new CborWriter(CborConformanceMode.Ctap2Canonical);
            w.WriteStartMap(5);
            w.WriteInt32(1); w.WriteInt32(2);     // kty: EC2
            w.WriteInt32(3); w.WriteInt32(-7);    // alg: ES256
            w.WriteInt32(-1); w.WriteInt32(1);    // crv: P-256
            w.WriteInt32(-2); w.WriteByteString(p.Q.X!);
            w.WriteInt32(-3); w.WriteByteString(p.Q.Y!);
            w.WriteEndMap();
            return w.Encode();
        }
    }

    /// <summary>An assertion for the request options' challenge and relying party, from this origin, user present and verified.</summary>
    public string Assert(string requestOptions, string origin)
    {
        var options = JsonNode.Parse(requestOptions)!;
        var clientData = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = "webauthn.get", ["challenge"] = (string)options["challenge"]!, ["origin"] = origin, ["crossOrigin"] = false,
        }.ToJsonString());
        var count = BitConverter.GetBytes(++counter);
        if (BitConverter.IsLittleEndian) Array.Reverse(count);
        byte[] authenticatorData = [.. SHA256.HashData(Encoding.UTF8.GetBytes((string)options["rpId"]!)), 0x05, .. count];
        var signature = key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return JsonSerializer.Serialize(new
        {
            id = Id, rawId = Id, type = "public-key", clientExtensionResults = new { },
            response = new
            {
                clientDataJSON = Base64Url(clientData), authenticatorData = Base64Url(authenticatorData), signature = Base64Url(signature),
                userHandle = Base64Url(Encoding.UTF8.GetBytes(sub)),
            },
        });
    }

    static string Base64Url(byte[] data) => System.Buffers.Text.Base64Url.EncodeToString(data);
}
