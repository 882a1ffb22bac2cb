using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Contract;

namespace Portal.Tests.Federation;

/// <summary>The steps SAML tests take against the fixture's Portal as a browser and the in-test IdP would: a provider with
/// single logout and its app client, the hosted UI's way to the IdP, the IdP's signed answer posted back, and the
/// redirect binding's deflate and signature.</summary>
public sealed class SamlSteps(SamlFixture f)
{
    public const string Callback = "https://app.example.test/cb";
    public const string SloUrl = "https://idp.example.test/slo";
    const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    public static HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false });

    /// <summary>A SAML provider on the in-test IdP with a single logout service (IDPSignout as given), and a confidential
    /// app client (code flow) using only it.</summary>
    public async Task<(string Provider, string ClientId)> SloProvider(string prefix, bool idpSignout = true, string? logoutUrl = null)
    {
        var name = prefix + Guid.NewGuid().ToString("n")[..8];
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = f.PoolId, ProviderName = name, ProviderType = "SAML",
            ProviderDetails = new() { ["MetadataFile"] = f.TestIdp.Metadata(sloUrl: SloUrl), ["IDPSignout"] = idpSignout ? "true" : "false" },
            AttributeMapping = new() { ["email"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress" },
        });
        var clientId = (await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = f.PoolId, ClientName = prefix.ToLowerInvariant() + "-" + name, GenerateSecret = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = [name], CallbackURLs = [Callback],
            LogoutURLs = logoutUrl is null ? null : [logoutUrl],
        })).UserPoolClient!.ClientId!;
        return (name, clientId);
    }

    /// <summary>Follows the hosted UI from /oauth2/authorize (under <paramref name="pathBase"/>, the pool's domain path unless
    /// given) to the IdP; answers the AuthnRequest and the RelayState. <paramref name="eachHop"/> sees each redirect inside
    /// Portal before it is followed.</summary>
    public async Task<(XmlElement Request, string RelayState, Uri AtIdp)> StartSignIn(HttpClient http, string provider, string clientId,
        string? pathBase = null, string? state = "st-1", Action<Uri>? eachHop = null)
    {
        var url = $"{f.Server.BaseUrl}{pathBase ?? "/" + f.Domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid+email"
                  + $"&redirect_uri={Uri.EscapeDataString(Callback)}&identity_provider={provider}" + (state is null ? "" : $"&state={state}");
        var response = await http.GetAsync(url);
        for (var hops = 0; hops < 5 && response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith('/'); hops++)
        {
            eachHop?.Invoke(response.Headers.Location);
            response = await http.GetAsync(f.Server.BaseUrl + response.Headers.Location.OriginalString);
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var atIdp = response.Headers.Location!;
        Assert.StartsWith("https://idp.example.test/sso?", atIdp.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(atIdp.Query);
        var document = new XmlDocument();
        document.LoadXml(Inflate(query["SAMLRequest"]!));
        return (document.DocumentElement!, query["RelayState"]!, atIdp);
    }

    /// <summary>The IdP's answer to <paramref name="request"/> for <paramref name="nameId"/>, at the ACS the request named.</summary>
    public SamlTestIdp.ResponseShape Answer(XmlElement request, string nameId = "jane.doe") => new()
    {
        Audience = f.Audience, Acs = request.GetAttribute("AssertionConsumerServiceURL"), InResponseTo = request.GetAttribute("ID"), NameId = nameId,
    };

    /// <summary>The response with its assertion signed by the IdP.</summary>
    public XmlDocument Signed(SamlTestIdp.ResponseShape shape)
    {
        var response = f.TestIdp.Response(shape);
        f.TestIdp.Sign(SamlTestIdp.Assertion(response));
        return response;
    }

    /// <summary>Posts the response (HTTP-POST binding) to Portal.</summary>
    public async Task<HttpResponseMessage> Post(HttpClient http, XmlDocument response, string? relayState, string path = "/saml2/idpresponse")
    {
        var form = new Dictionary<string, string> { ["SAMLResponse"] = SamlTestIdp.Encode(response) };
        if (relayState is not null) form["RelayState"] = relayState;
        return await http.PostAsync(f.Server.BaseUrl + path, new FormUrlEncodedContent(form));
    }

    /// <summary>The IdP's successful LogoutResponse to the logout request <paramref name="inResponseTo"/>, sent to the pool
    /// domain's logout endpoint.</summary>
    public string LogoutResponse(string inResponseTo) => $"""
        <samlp:LogoutResponse xmlns:samlp="{SamlTestIdp.ProtocolNs}" xmlns:saml="{SamlTestIdp.AssertionNs}" ID="_lr{Guid.NewGuid():n}" Version="2.0" IssueInstant="{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}" Destination="{f.Server.BaseUrl}/{f.Domain}/saml2/logout" InResponseTo="{inResponseTo}"><saml:Issuer>{f.TestIdp.EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>
        """;

    /// <summary>A redirect-binding query for a SAML message (<paramref name="parameter"/> SAMLRequest or SAMLResponse), with
    /// its SigAlg and without a signature yet.</summary>
    public static string RedirectQuery(string parameter, string xml, string relayState) =>
        parameter + "=" + Uri.EscapeDataString(DeflateBase64(xml)) + "&RelayState=" + Uri.EscapeDataString(relayState)
        + "&SigAlg=" + Uri.EscapeDataString(RsaSha256);

    /// <summary>The redirect-binding query signed with the IdP's key.</summary>
    public string SignedByIdp(string query)
    {
        using var key = f.TestIdp.Certificate.GetRSAPrivateKey()!;
        return query + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(query),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    public static string Inflate(string base64)
    {
        using var inflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        return new StreamReader(inflate).ReadToEnd();
    }

    public static string DeflateBase64(string xml)
    {
        var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(Encoding.UTF8.GetBytes(xml));
        return Convert.ToBase64String(buffer.ToArray());
    }
}
