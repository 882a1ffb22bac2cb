using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Portal.Server.Auth;
using Portal.Server.HostedUi;

namespace Portal.Server.Federation.Saml;

/// <summary>A pool as a SAML service provider, as Cognito names it: entity id <c>urn:amazon:cognito:sp:{userPoolId}</c>,
/// assertion consumer service <c>{base}/saml2/idpresponse</c> (also under the pool's domain, path- or host-based).</summary>
public sealed class SamlServiceProvider(Issuer issuer, IOptions<HostedUiOptions> hostedUi)
{
    public static string EntityId(string userPoolId) => $"urn:amazon:cognito:sp:{userPoolId}";

    /// <summary>The ACS URL Portal asks IdPs to answer at (the one in the SP metadata).</summary>
    public string AcsUrl => $"{issuer.BaseUrl}/saml2/idpresponse";

    /// <summary>The ACS URL for a request that arrived on a host-based pool domain, else <see cref="AcsUrl"/>.</summary>
    public string AcsUrlFor(HttpContext http, string? domain)
    {
        if (domain is not null && HostDomains.Origin(http, domain, issuer.BaseUrl) is { } origin)
            return origin + "/saml2/idpresponse";
        return AcsUrl;
    }

    /// <summary>Every URL a response for this pool may be addressed to (Destination, Recipient).</summary>
    public IReadOnlyCollection<string> AcsUrls(string? domain, HttpContext? http = null)
    {
        var urls = new List<string> { AcsUrl };
        if (domain is not null)
        {
            urls.Add($"{issuer.BaseUrl}/{domain}/saml2/idpresponse");
            if (HostBased(domain) is { } hosted) urls.Add(hosted);
            // The host-based origin this answer arrived at (e.g. the HTTPS listener of https://{domain}.localhost:7219).
            if (http is not null && HostDomains.Origin(http, domain, issuer.BaseUrl) is { } origin) urls.Add(origin + "/saml2/idpresponse");
        }
        return urls;
    }

    string? HostBased(string domain)
    {
        var suffix = hostedUi.Value.AuthDomain?.Trim('.');
        if (string.IsNullOrEmpty(suffix)) return null;
        var builder = new UriBuilder(issuer.BaseUrl) { Host = $"{domain}.{suffix}", Path = "/saml2/idpresponse" };
        return builder.Uri.ToString();
    }

    /// <summary>The pool's SP metadata: its signing certificate, the ACS (HTTP-POST) and the name-id formats it takes.</summary>
    /// <summary>Where IdPs answer a LogoutRequest (HTTP-Redirect): under the pool's domain, where its session cookie lives.</summary>
    public string SloUrl(string? domain) => domain is null ? $"{issuer.BaseUrl}/saml2/logout" : $"{issuer.BaseUrl}/{domain}/saml2/logout";

    public string Metadata(string userPoolId, X509Certificate2 signing, string acsUrl, string? sloUrl = null)
    {
        XNamespace md = SamlMetadata.MetadataNs, ds = SamlMetadata.DsigNs;
        var document = new XDocument(
            new XElement(md + "EntityDescriptor",
                new XAttribute("xmlns", md.NamespaceName), new XAttribute(XNamespace.Xmlns + "ds", ds.NamespaceName),
                new XAttribute("entityID", EntityId(userPoolId)),
                new XElement(md + "SPSSODescriptor",
                    new XAttribute("AuthnRequestsSigned", "false"), new XAttribute("WantAssertionsSigned", "true"),
                    new XAttribute("protocolSupportEnumeration", SamlMetadata.ProtocolNs),
                    new XElement(md + "KeyDescriptor", new XAttribute("use", "signing"),
                        new XElement(ds + "KeyInfo", new XElement(ds + "X509Data",
                            new XElement(ds + "X509Certificate", Convert.ToBase64String(signing.RawData))))),
                    // The same key decrypts assertions an IdP encrypts for the pool (EncryptedResponses).
                    new XElement(md + "KeyDescriptor", new XAttribute("use", "encryption"),
                        new XElement(ds + "KeyInfo", new XElement(ds + "X509Data",
                            new XElement(ds + "X509Certificate", Convert.ToBase64String(signing.RawData)))),
                        new XElement(md + "EncryptionMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmlenc#aes256-cbc")),
                        new XElement(md + "EncryptionMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"))),
                    sloUrl is null ? null : new XElement(md + "SingleLogoutService",
                        new XAttribute("Binding", SamlMetadata.RedirectBinding), new XAttribute("Location", sloUrl)),
                    new XElement(md + "NameIDFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
                    new XElement(md + "NameIDFormat", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
                    new XElement(md + "NameIDFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
                    new XElement(md + "AssertionConsumerService",
                        new XAttribute("Binding", SamlMetadata.PostBinding), new XAttribute("Location", acsUrl), new XAttribute("index", "1"),
                        new XAttribute("isDefault", "true")))));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + document.ToString(SaveOptions.DisableFormatting);
    }
}
