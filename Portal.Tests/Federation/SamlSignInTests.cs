using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>SAML sign-in over HTTP through a real Portal: the AuthnRequest it sends, responses posted to
/// /saml2/idpresponse (accepted, replayed, tampered, unsigned, IdP-initiated), SP metadata and ProviderDetails checks.</summary>
[Collection(SamlCollection.Name)]
public sealed class SamlSignInTests(SamlFixture f)
{
    const string Callback = SamlSteps.Callback;

    readonly SamlSteps saml = new(f);

    [Fact]
    public async Task Sign_in_creates_the_federated_user_with_mapped_attributes_and_the_app_gets_tokens_with_identities()
    {
        var (provider, clientId, secret) = await f.Provider();
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, provider, clientId);
        Assert.Equal("AuthnRequest", request.LocalName);
        Assert.Equal(f.Audience, request.GetElementsByTagName("Issuer", SamlTestIdp.AssertionNs)[0]!.InnerText);
        Assert.Equal(f.Acs, request.GetAttribute("AssertionConsumerServiceURL"));

        var nameId = "jane-" + Guid.NewGuid().ToString("n")[..6];
        var answered = await saml.Post(http, saml.Signed(saml.Answer(request, nameId)), relayState);
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        var back = answered.Headers.Location!.OriginalString;
        Assert.StartsWith(Callback + "?code=", back);
        Assert.Contains("state=st-1", back);

        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{nameId}" });
        Assert.Equal("EXTERNAL_PROVIDER", user.UserStatus);
        var attributes = user.UserAttributes!.ToDictionary(a => a.Name!, a => a.Value);
        Assert.Equal("jane@example.com", attributes["email"]);
        Assert.Equal("Jane", attributes["given_name"]);

        var code = QueryHelpers.ParseQuery(new Uri(back).Query)["code"].ToString();
        var token = await http.PostAsync($"{f.Server.BaseUrl}/{f.Domain}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback, ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        using var tokens = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        var idToken = tokens.RootElement.GetProperty("id_token").GetString()!;
        using var claims = JsonDocument.Parse(Base64Url(idToken.Split('.')[1]));
        var identity = claims.RootElement.GetProperty("identities")[0];
        Assert.Equal(provider, identity.GetProperty("providerName").GetString());
        Assert.Equal("SAML", identity.GetProperty("providerType").GetString());
        Assert.Equal(nameId, identity.GetProperty("userId").GetString());
        Assert.Equal($"{provider}_{nameId}", claims.RootElement.GetProperty("cognito:username").GetString());
    }

    [Fact]
    public async Task Login_CSRF_an_answer_delivered_to_another_browser_is_refused_and_signs_no_one_in()
    {
        var (provider, clientId, _) = await f.Provider();
        // The attacker starts a sign-in in their own browser and gets the IdP's answer for their own account ...
        using var attacker = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(attacker, provider, clientId);
        var nameId = "mallory-" + Guid.NewGuid().ToString("n")[..6];
        var answer = saml.Signed(saml.Answer(request, nameId));
        // ... and makes the victim's browser (without the attacker's cookie) post it.
        using var victim = SamlSteps.NoRedirects();
        var posted = await saml.Post(victim, answer, relayState);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("started in another browser", await posted.Content.ReadAsStringAsync());
        Assert.Null(posted.Headers.Location);
        Assert.DoesNotContain(posted.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.Contains("portal-sso", StringComparison.OrdinalIgnoreCase)));
        await Assert.ThrowsAsync<UserNotFoundException>(() => f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{nameId}" }));
        // The browser that started it still can.
        var own = await saml.Post(attacker, answer, relayState);
        Assert.StartsWith(Callback + "?code=", own.Headers.Location!.OriginalString);
    }

    static byte[] Base64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));

    /// <summary>The pool's SP certificate, as an IdP takes it from the SP metadata.</summary>
    async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> PoolCertificate() =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(
            (await f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = f.PoolId })).Certificate!));

    [Theory]
    [InlineData("signed assertion")]
    [InlineData("signed response")]
    public async Task An_encrypted_assertion_is_decrypted_with_the_pools_key_and_signs_the_user_in(string signed)
    {
        var (provider, clientId, _) = await f.Provider();
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, provider, clientId);
        var nameId = "enc-" + Guid.NewGuid().ToString("n")[..6];
        var response = f.TestIdp.Response(saml.Answer(request, nameId));
        using var sp = await PoolCertificate();
        if (signed == "signed assertion")
        {
            f.TestIdp.Sign(SamlTestIdp.Assertion(response));
            SamlTestIdp.Encrypt(response, sp);
        }
        else
        {
            // The response's signature covers the encrypted assertion.
            SamlTestIdp.Encrypt(response, sp);
            f.TestIdp.Sign(response.DocumentElement!);
        }
        Assert.Empty(response.GetElementsByTagName("Assertion", SamlTestIdp.AssertionNs));

        var answered = await saml.Post(http, response, relayState);
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.StartsWith(Callback + "?code=", answered.Headers.Location!.OriginalString);
        var user = await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{nameId}" });
        Assert.Contains(user.UserAttributes!, a => a.Name == "email" && a.Value == "jane@example.com");
    }

    [Theory]
    [InlineData("plain under EncryptedResponses", "not encrypted")]
    [InlineData("for another service provider", "does not decrypt with this pool's key")]
    [InlineData("RSA PKCS#1 v1.5 key transport", "PKCS#1 v1.5")]
    [InlineData("ciphertext changed under a signed response", "signature does not verify")]
    public async Task Encrypted_assertions_that_cannot_be_trusted_are_refused(string bad, string logged)
    {
        var (provider, clientId, _) = await f.Provider();
        if (bad.StartsWith("plain", StringComparison.Ordinal))
        {
            var described = (await f.Cognito.Send(new DescribeIdentityProviderRequest { UserPoolId = f.PoolId, ProviderName = provider })).IdentityProvider!;
            var details = described.ProviderDetails!.Where(d => d.Key is "MetadataFile" or "IDPInit").ToDictionary();
            details["EncryptedResponses"] = "true";
            var updated = (await f.Cognito.Send(new UpdateIdentityProviderRequest { UserPoolId = f.PoolId, ProviderName = provider, ProviderDetails = details })).IdentityProvider!;
            // As Cognito, the provider shows the certificate the IdP must encrypt for: the pool's.
            var certificate = (await f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = f.PoolId })).Certificate;
            Assert.Equal(certificate, updated.ProviderDetails!["ActiveEncryptionCertificate"]);
            Assert.False(described.ProviderDetails!.ContainsKey("ActiveEncryptionCertificate"));
        }
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, provider, clientId);
        var nameId = "encbad-" + Guid.NewGuid().ToString("n")[..6];
        var response = f.TestIdp.Response(saml.Answer(request, nameId));
        using var sp = await PoolCertificate();
        using var otherSp = SamlTestIdp.MakeCertificate("CN=Another SP");
        switch (bad)
        {
            case "plain under EncryptedResponses":
                f.TestIdp.Sign(SamlTestIdp.Assertion(response));
                break;
            case "for another service provider":
                f.TestIdp.Sign(SamlTestIdp.Assertion(response));
                SamlTestIdp.Encrypt(response, otherSp);
                break;
            case "RSA PKCS#1 v1.5 key transport":
                f.TestIdp.Sign(SamlTestIdp.Assertion(response));
                SamlTestIdp.Encrypt(response, sp, pkcs1: true);
                break;
            default:
                SamlTestIdp.Encrypt(response, sp);
                f.TestIdp.Sign(response.DocumentElement!);
                var cipher = (XmlElement)response.GetElementsByTagName("CipherValue", "http://www.w3.org/2001/04/xmlenc#")[1]!;
                var bytes = Convert.FromBase64String(cipher.InnerText);
                bytes[^1] ^= 0x5a;
                cipher.InnerText = Convert.ToBase64String(bytes);
                break;
        }
        var answer = await saml.Post(http, response, relayState);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("sign-in provider", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        Assert.Contains(f.Server.Log, l => l.Contains("SAML sign-in refused") && l.Contains(provider) && l.Contains(logged));
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{nameId}" }));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Logout_signs_out_at_the_IdP_with_a_signed_LogoutRequest_when_IDPSignout_is_on(bool idpSignout)
    {
        var (name, clientId) = await saml.SloProvider("Slo", idpSignout, logoutUrl: "https://app.example.test/bye");
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, name, clientId);
        var nameId = "slo-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(HttpStatusCode.Redirect, (await saml.Post(http, saml.Signed(saml.Answer(request, nameId)), relayState)).StatusCode);

        var logout = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/logout?client_id={clientId}&logout_uri={Uri.EscapeDataString("https://app.example.test/bye")}");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var to = logout.Headers.Location!;
        if (!idpSignout)
        {
            Assert.Equal("https://app.example.test/bye", to.OriginalString);
            return;
        }
        Assert.StartsWith("https://idp.example.test/slo?SAMLRequest=", to.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(to.Query);
        var logoutRequest = new XmlDocument();
        logoutRequest.LoadXml(SamlSteps.Inflate(query["SAMLRequest"]!));
        var root = logoutRequest.DocumentElement!;
        Assert.Equal("LogoutRequest", root.LocalName);
        Assert.Equal("https://idp.example.test/slo", root.GetAttribute("Destination"));
        Assert.Equal(f.Audience, root.GetElementsByTagName("Issuer", SamlTestIdp.AssertionNs)[0]!.InnerText);
        Assert.Equal(nameId, root.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!.InnerText);
        Assert.Equal("_s1", root.GetElementsByTagName("SessionIndex", SamlTestIdp.ProtocolNs)[0]!.InnerText);
        // Signed by the pool's key over the query as sent.
        var raw = to.Query.TrimStart('?').Split('&');
        var signedPart = string.Join("&", raw.Where(p => !p.StartsWith("Signature=", StringComparison.Ordinal)));
        using (var sp = await PoolCertificate())
        using (var rsa = sp.GetRSAPublicKey()!)
            Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(signedPart), Convert.FromBase64String(query["Signature"]!),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));

        // The IdP answers with a LogoutResponse (redirect binding, signed); the user goes on to the app's logout_uri.
        var back = saml.SignedByIdp(SamlSteps.RedirectQuery("SAMLResponse", saml.LogoutResponse(root.GetAttribute("ID")), query["RelayState"]!));
        var done = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{back}");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("https://app.example.test/bye", done.Headers.Location!.OriginalString);

        // Once only; and a tampered answer is refused.
        var again = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{back}");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains(f.Server.Log, l => l.Contains("SAML logout refused") && l.Contains("replayed"));
        var forged = back.Replace("&Signature=", "&Signature=AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{forged}")).StatusCode);

        // The hosted UI's session is gone: authorize shows the sign-in again instead of signing in silently.
        var authorize = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid"
                                            + $"&redirect_uri={Uri.EscapeDataString(Callback)}&prompt=none");
        Assert.DoesNotContain("code=", authorize.Headers.Location?.OriginalString ?? "");
    }

    [Fact]
    public async Task A_signed_LogoutRequest_from_the_IdP_ends_the_session_and_is_answered_with_a_signed_LogoutResponse()
    {
        var (name, clientId) = await saml.SloProvider("SloIdp");
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, name, clientId);
        var nameId = "idpslo-" + Guid.NewGuid().ToString("n")[..6];
        Assert.Equal(HttpStatusCode.Redirect, (await saml.Post(http, saml.Signed(saml.Answer(request, nameId)), relayState)).StatusCode);
        var authorize = $"{f.Server.BaseUrl}/{f.Domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(Callback)}&prompt=none";
        Assert.Contains("code=", (await http.GetAsync(authorize)).Headers.Location!.OriginalString);

        var logoutRequest = $"""
            <samlp:LogoutRequest xmlns:samlp="{SamlTestIdp.ProtocolNs}" xmlns:saml="{SamlTestIdp.AssertionNs}" ID="_idplr{Guid.NewGuid():n}" Version="2.0" IssueInstant="{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}" Destination="{f.Server.BaseUrl}/{f.Domain}/saml2/logout"><saml:Issuer>{f.TestIdp.EntityId}</saml:Issuer><saml:NameID>{nameId}</saml:NameID><samlp:SessionIndex>_s1</samlp:SessionIndex></samlp:LogoutRequest>
            """;
        var unsigned = SamlSteps.RedirectQuery("SAMLRequest", logoutRequest, "idp-state-7");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{unsigned}")).StatusCode);
        Assert.Contains(f.Server.Log, l => l.Contains("SAML logout refused") && l.Contains("unsigned or its signature does not verify"));
        Assert.Contains("code=", (await http.GetAsync(authorize)).Headers.Location!.OriginalString);

        var signedQuery = saml.SignedByIdp(unsigned);
        var answered = await http.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{signedQuery}");
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        var to = answered.Headers.Location!;
        Assert.StartsWith("https://idp.example.test/slo?SAMLResponse=", to.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(to.Query);
        Assert.Equal("idp-state-7", query["RelayState"].ToString());
        var response = new XmlDocument();
        response.LoadXml(SamlSteps.Inflate(query["SAMLResponse"]!));
        Assert.Equal("LogoutResponse", response.DocumentElement!.LocalName);
        Assert.StartsWith("_idplr", response.DocumentElement.GetAttribute("InResponseTo"));
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:status:Success",
            ((XmlElement)response.GetElementsByTagName("StatusCode", SamlTestIdp.ProtocolNs)[0]!).GetAttribute("Value"));
        var signedPart = string.Join("&", to.Query.TrimStart('?').Split('&').Where(p => !p.StartsWith("Signature=", StringComparison.Ordinal)));
        using (var sp = await PoolCertificate())
        using (var rsa = sp.GetRSAPublicKey()!)
            Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(signedPart), Convert.FromBase64String(query["Signature"]!),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));

        // The hosted UI's session is over: prompt=none no longer signs in.
        Assert.Contains(f.Server.Log, l => l.Contains($"SAML logout from {name}") && l.Contains("ended the hosted UI session"));
        Assert.DoesNotContain("code=", (await http.GetAsync(authorize)).Headers.Location?.OriginalString ?? "");
    }

    [Fact]
    public async Task The_SP_metadata_names_the_single_logout_service_and_the_encryption_key()
    {
        using var http = new HttpClient();
        var xml = await http.GetStringAsync($"{f.Server.BaseUrl}/saml2/metadata/{f.PoolId}");
        Assert.Contains($"Location=\"{f.Server.BaseUrl}/{f.Domain}/saml2/logout\"", xml);
        Assert.Contains("use=\"encryption\"", xml);
        Assert.Contains("use=\"signing\"", xml);
    }

    [Fact]
    public async Task A_replayed_response_is_refused_with_the_error_page_and_a_logged_reason()
    {
        var (provider, clientId, _) = await f.Provider();
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, provider, clientId);
        var response = saml.Signed(saml.Answer(request, "replay-" + Guid.NewGuid().ToString("n")[..6]));
        Assert.Equal(HttpStatusCode.Redirect, (await saml.Post(http, response, relayState)).StatusCode);

        var again = await saml.Post(http, response, relayState);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var html = WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync());
        Assert.Contains("This sign-in answer was already used", html);
        Assert.Contains(f.Server.Log, l => l.Contains("SAML sign-in refused") && l.Contains("already used"));
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("tampered")]
    [InlineData("wrong-audience")]
    [InlineData("expired")]
    [InlineData("wrong-issuer")]
    [InlineData("unknown-key")]
    [InlineData("second-assertion")]
    [InlineData("wrong-request")]
    public async Task Bad_responses_are_refused_with_the_error_page(string bad)
    {
        var (provider, clientId, _) = await f.Provider();
        using var http = SamlSteps.NoRedirects();
        var (request, relayState, _) = await saml.StartSignIn(http, provider, clientId);
        var secretName = "secret-" + Guid.NewGuid().ToString("n")[..6];
        var shape = saml.Answer(request, secretName);
        using var stranger = new SamlTestIdp(f.TestIdp.EntityId, "CN=Stranger");
        XmlDocument response;
        switch (bad)
        {
            case "unsigned": response = f.TestIdp.Response(shape); break;
            case "wrong-audience": response = saml.Signed(shape with { Audience = "urn:amazon:cognito:sp:us-east-1_Other0001" }); break;
            case "expired": response = saml.Signed(shape with { Now = DateTimeOffset.UtcNow.AddHours(-2) }); break;
            case "wrong-issuer": response = saml.Signed(shape with { Issuer = "https://evil.example.test" }); break;
            case "wrong-request": response = saml.Signed(shape with { InResponseTo = "_not-what-portal-sent" }); break;
            case "unknown-key":
                response = stranger.Response(shape);
                stranger.Sign(SamlTestIdp.Assertion(response));
                break;
            case "tampered":
                response = saml.Signed(shape);
                ((XmlElement)response.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!).InnerText = "admin";
                break;
            default:
                response = saml.Signed(shape);
                var forged = (XmlElement)SamlTestIdp.Assertion(response).CloneNode(true);
                forged.SetAttribute("ID", "_forged");
                forged.RemoveChild(forged.GetElementsByTagName("Signature", SamlTestIdp.DsigNs)[0]!);
                response.DocumentElement!.AppendChild(forged);
                break;
        }
        var answer = await saml.Post(http, response, relayState);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.Contains("sign-in provider", html);
        Assert.DoesNotContain(secretName, html);
        Assert.Contains(f.Server.Log, l => l.Contains("SAML sign-in refused") && l.Contains(provider));
        Assert.DoesNotContain(f.Server.Log, l => l.Contains(secretName));
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{secretName}" }));
    }

    [Fact]
    public async Task IdP_initiated_sign_in_without_RelayState_reaches_the_one_app_that_uses_the_provider()
    {
        using var idp = new SamlTestIdp("https://unsolicited.example.test/" + Guid.NewGuid().ToString("n")[..6]);
        var (provider, _, _) = await f.Provider(idpInit: true, idp: idp);
        using var http = SamlSteps.NoRedirects();
        var nameId = "idp-init-" + Guid.NewGuid().ToString("n")[..6];
        var response = idp.Response(new SamlTestIdp.ResponseShape { Audience = f.Audience, Acs = f.Acs, NameId = nameId });
        idp.Sign(SamlTestIdp.Assertion(response));
        var answer = await saml.Post(http, response, null);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith(Callback + "?code=", answer.Headers.Location!.OriginalString);
        Assert.NotNull(await f.Cognito.Send(new AdminGetUserRequest { UserPoolId = f.PoolId, Username = $"{provider}_{nameId}" }));
    }

    [Fact]
    public async Task IdP_initiated_sign_in_with_RelayState_names_the_app_and_is_refused_when_the_provider_does_not_allow_it()
    {
        using var idp = new SamlTestIdp("https://idp-init.example.test/" + Guid.NewGuid().ToString("n")[..6]);
        var (allowed, clientId, _) = await f.Provider(idpInit: true, idp: idp);
        using var http = SamlSteps.NoRedirects();
        var relay = $"response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(Callback)}&identity_provider={allowed}&scope=openid";
        XmlDocument Unsolicited(SamlTestIdp from)
        {
            var r = from.Response(new SamlTestIdp.ResponseShape { Audience = f.Audience, Acs = f.Acs, NameId = "u-" + Guid.NewGuid().ToString("n")[..6] });
            from.Sign(SamlTestIdp.Assertion(r));
            return r;
        }
        var ok = await saml.Post(http, Unsolicited(idp), relay, $"/{f.Domain}/saml2/idpresponse");
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.StartsWith(Callback + "?code=", ok.Headers.Location!.OriginalString);

        using var other = new SamlTestIdp("https://no-init.example.test/" + Guid.NewGuid().ToString("n")[..6]);
        var (refusedProvider, refusedClient, _) = await f.Provider(idpInit: false, idp: other);
        var refusedRelay = $"response_type=code&client_id={refusedClient}&redirect_uri={Uri.EscapeDataString(Callback)}&identity_provider={refusedProvider}";
        var refused = await saml.Post(http, Unsolicited(other), refusedRelay);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("does not accept sign-ins started at your sign-in provider", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_pool_publishes_SP_metadata_with_its_signing_certificate()
    {
        using var http = new HttpClient();
        var xml = await http.GetStringAsync($"{f.Server.BaseUrl}/saml2/metadata/{f.PoolId}");
        var certificate = (await f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = f.PoolId })).Certificate!;
        Assert.Contains($"entityID=\"{f.Audience}\"", xml);
        Assert.Contains($"Location=\"{f.Acs}\"", xml);
        Assert.Contains(certificate, xml);
        using var parsed = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
        Assert.Contains(f.PoolId, parsed.Subject);
        Assert.True(parsed.NotAfter > DateTime.UtcNow.AddYears(9));
        Assert.Equal(xml, await http.GetStringAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/metadata"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = "us-east-1_Nothing00" }));
    }

    [Fact]
    public async Task Signed_requests_carry_a_redirect_binding_signature_by_the_pool_certificate()
    {
        var (provider, clientId, _) = await f.Provider();
        await f.Cognito.Send(new UpdateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = provider,
            ProviderDetails = new() { ["MetadataFile"] = f.TestIdp.Metadata(), ["RequestSigningAlgorithm"] = "rsa-sha256" },
        });
        using var http = SamlSteps.NoRedirects();
        var (_, _, atIdp) = await saml.StartSignIn(http, provider, clientId);
        var raw = atIdp.Query.TrimStart('?');
        var signed = raw[..raw.IndexOf("&Signature=", StringComparison.Ordinal)];
        var signature = Convert.FromBase64String(Uri.UnescapeDataString(raw[(raw.IndexOf("&Signature=", StringComparison.Ordinal) + 11)..]));
        var certificate = (await f.Cognito.Send(new GetSigningCertificateRequest { UserPoolId = f.PoolId })).Certificate!;
        using var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
        using var rsa = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey(cert)!;
        Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(signed), signature, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1));
        Assert.Contains("SigAlg=" + Uri.EscapeDataString("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), signed);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "metadata service")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata service")]
    [InlineData("file:///etc/passwd", "http or https")]
    [InlineData("ftp://idp.example.test/metadata.xml", "http or https")]
    public async Task MetadataURL_never_reaches_cloud_metadata_or_other_schemes(string url, string reason)
    {
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = "Bad" + Guid.NewGuid().ToString("n")[..6], ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataURL"] = url },
        }));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public async Task Bad_metadata_is_refused_and_good_metadata_gets_its_endpoints_added()
    {
        async Task<InvalidParameterException> Refused(string metadata) => await Assert.ThrowsAsync<InvalidParameterException>(() =>
            f.Cognito.Send(new CreateIdentityProviderRequest
            {
                UserPoolId = f.PoolId, ProviderName = "Bad" + Guid.NewGuid().ToString("n")[..6], ProviderType = "SAML",
                ProviderDetails = new() { ["MetadataFile"] = metadata },
            }));
        Assert.Contains("not well-formed", (await Refused("<md:EntityDescriptor")).Message);
        Assert.Contains("no signing certificate", (await Refused(f.TestIdp.Metadata().Replace("use=\"signing\"", "use=\"encryption\""))).Message);
        Assert.Contains("HTTP-Redirect", (await Refused(f.TestIdp.Metadata().Replace("bindings:HTTP-Redirect", "bindings:SOAP"))).Message);
        Assert.Contains("not SAML 2.0 metadata", (await Refused("<html><body>Sign in</body></html>")).Message);
        Assert.Contains("not well-formed", (await Refused("<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>")).Message);

        var name = "Good" + Guid.NewGuid().ToString("n")[..6];
        var created = await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = name, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataFile"] = f.TestIdp.Metadata(sloUrl: "https://idp.example.test/slo"), ["IDPSignout"] = "true" },
        });
        var details = created.IdentityProvider!.ProviderDetails!;
        Assert.Equal("https://idp.example.test/sso", details["SSORedirectBindingURI"]);
        Assert.Equal("https://idp.example.test/slo", details["SLORedirectBindingURI"]);
    }

    [Fact]
    public async Task DescribeSamlMetadata_summarises_certificates_and_endpoints()
    {
        var summary = await f.Cognito.Send(new DescribeSamlMetadataRequest { MetadataFile = f.TestIdp.Metadata() });
        Assert.Equal(f.TestIdp.EntityId, summary.EntityId);
        Assert.Equal("https://idp.example.test/sso", summary.SSORedirectBindingURI);
        var certificate = Assert.Single(summary.Certificates!);
        Assert.Equal("CN=Test SAML IdP", certificate.Subject);
        Assert.Equal("signing", certificate.Use);
        Assert.True(certificate.NotAfter > DateTimeOffset.UtcNow.AddYears(4));
    }
}
