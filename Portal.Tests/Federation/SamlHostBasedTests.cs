using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>Issue 14: SAML through a pool domain reached host-based (in Development <c>{domain}.localhost</c>): the
/// AuthnRequest names the host-based ACS, the answer posted there signs in, and after single logout at the IdP (which
/// answers at Portal's public URL) the user goes on on the host-based origin.</summary>
[Collection(SamlCollection.Name)]
public sealed class SamlHostBasedTests(SamlFixture f)
{
    const string Callback = "https://app.example.test/cb";

    [Fact]
    public async Task Sign_in_and_single_logout_through_a_host_based_domain_stay_on_its_origin()
    {
        var name = "Host" + Guid.NewGuid().ToString("n")[..8];
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = name, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataFile"] = f.TestIdp.Metadata(sloUrl: "https://idp.example.test/slo"), ["IDPSignout"] = "true" },
            AttributeMapping = new() { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
        });
        var clientId = (await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientName = "host-" + name, GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = [name], CallbackURLs = [Callback],
        })).UserPoolClient!.ClientId!;
        var origin = $"http://{f.Domain}.localhost:{f.Server.Port}";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Host = $"{f.Domain}.localhost:{f.Server.Port}";

        var response = await http.GetAsync($"{f.Server.BaseUrl}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid+email"
                                           + $"&redirect_uri={Uri.EscapeDataString(Callback)}&identity_provider={name}");
        for (var hops = 0; hops < 5 && response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith('/'); hops++)
        {
            Assert.DoesNotContain($"/{f.Domain}/", response.Headers.Location.OriginalString);
            response = await http.GetAsync(f.Server.BaseUrl + response.Headers.Location.OriginalString);
        }
        var atIdp = response.Headers.Location!;
        Assert.StartsWith("https://idp.example.test/sso?", atIdp.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(atIdp.Query);
        var request = new XmlDocument();
        request.LoadXml(Inflate(query["SAMLRequest"]!));
        Assert.Equal($"{origin}/saml2/idpresponse", request.DocumentElement!.GetAttribute("AssertionConsumerServiceURL"));

        var answer = f.TestIdp.Response(new SamlTestIdp.ResponseShape
        {
            Audience = f.Audience, Acs = $"{origin}/saml2/idpresponse", InResponseTo = request.DocumentElement.GetAttribute("ID"), NameId = "host-" + name,
        });
        f.TestIdp.Sign(SamlTestIdp.Assertion(answer));
        var signedIn = await http.PostAsync($"{f.Server.BaseUrl}/saml2/idpresponse", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = SamlTestIdp.Encode(answer), ["RelayState"] = query["RelayState"]!,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith(Callback + "?code=", signedIn.Headers.Location!.OriginalString);

        // Single logout: the IdP first; its answer arrives at the public URL and sends the user back to the host-based origin.
        var logout = await http.GetAsync($"{f.Server.BaseUrl}/logout?client_id={clientId}");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var slo = QueryHelpers.ParseQuery(logout.Headers.Location!.Query);
        var logoutRequest = new XmlDocument();
        logoutRequest.LoadXml(Inflate(slo["SAMLRequest"]!));
        var reply = $"""
            <samlp:LogoutResponse xmlns:samlp="{SamlTestIdp.ProtocolNs}" xmlns:saml="{SamlTestIdp.AssertionNs}" ID="_lr{Guid.NewGuid():n}" Version="2.0" IssueInstant="{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}" Destination="{f.Server.BaseUrl}/{f.Domain}/saml2/logout" InResponseTo="{logoutRequest.DocumentElement!.GetAttribute("ID")}"><saml:Issuer>{f.TestIdp.EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>
            """;
        var back = "SAMLResponse=" + Uri.EscapeDataString(DeflateBase64(reply)) + "&RelayState=" + Uri.EscapeDataString(slo["RelayState"]!)
                   + "&SigAlg=" + Uri.EscapeDataString("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        using (var key = f.TestIdp.Certificate.GetRSAPrivateKey()!)
            back += "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(back),
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)));
        using var publicUrl = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var done = await publicUrl.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{back}");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"{origin}/logout?client_id={clientId}", done.Headers.Location!.OriginalString);
    }

    static string Inflate(string base64)
    {
        using var inflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        return new StreamReader(inflate).ReadToEnd();
    }

    static string DeflateBase64(string xml)
    {
        var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(Encoding.UTF8.GetBytes(xml));
        return Convert.ToBase64String(buffer.ToArray());
    }
}
