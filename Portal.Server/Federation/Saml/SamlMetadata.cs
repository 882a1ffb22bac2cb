using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Portal.Client.Contract;

namespace Portal.Server.Federation.Saml;

/// <summary>What Portal needs from a SAML identity provider's metadata: who it is, the keys it signs with, and where
/// to send users for sign-in and sign-out.</summary>
public sealed record SamlMetadata
{
    public required string EntityId { get; init; }
    public required IReadOnlyList<X509Certificate2> SigningCertificates { get; init; }
    public IReadOnlyList<X509Certificate2> EncryptionCertificates { get; init; } = [];
    public string? SsoRedirectUrl { get; init; }
    public string? SsoPostUrl { get; init; }
    public string? SloRedirectUrl { get; init; }
    public bool WantAuthnRequestsSigned { get; init; }
    public IReadOnlyList<string> NameIdFormats { get; init; } = [];

    public const string MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DsigNs = "http://www.w3.org/2000/09/xmldsig#";
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    /// <summary>Longest metadata document Portal reads (a federation's aggregate is not an IdP's metadata).</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Reads an IdP's metadata; bad metadata is refused with InvalidParameterException saying what is wrong.</summary>
    public static SamlMetadata Parse(string xml, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(xml)) throw Bad("the metadata document is empty");
        if (xml.Length > MaxLength) throw Bad("the metadata document is larger than 1 MB");
        var document = SamlXml.Load(xml) ?? throw Bad("the metadata is not well-formed XML");
        var root = document.DocumentElement!;
        if (root.NamespaceURI != MetadataNs || root.LocalName is not ("EntityDescriptor" or "EntitiesDescriptor"))
            throw Bad("the document is not SAML 2.0 metadata (no md:EntityDescriptor)");

        // An aggregate (EntitiesDescriptor) is accepted only when it holds exactly one identity provider.
        var idps = Descendants(root, MetadataNs, "EntityDescriptor", includeSelf: true)
            .Where(e => Child(e, MetadataNs, "IDPSSODescriptor") is not null).ToList();
        if (idps.Count == 0) throw Bad("the metadata has no identity provider (md:IDPSSODescriptor)");
        if (idps.Count > 1) throw Bad("the metadata describes several identity providers; give the metadata of one");
        var entity = idps[0];
        var entityId = entity.GetAttribute("entityID").Trim();
        if (entityId.Length == 0) throw Bad("the EntityDescriptor has no entityID");
        var idp = Child(entity, MetadataNs, "IDPSSODescriptor")!;
        if (!idp.GetAttribute("protocolSupportEnumeration").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(ProtocolNs))
            throw Bad("the identity provider does not declare SAML 2.0 protocol support");

        var signing = new List<X509Certificate2>();
        var encryption = new List<X509Certificate2>();
        foreach (var key in Children(idp, MetadataNs, "KeyDescriptor"))
        {
            var use = key.GetAttribute("use");
            foreach (var text in Descendants(key, DsigNs, "X509Certificate", includeSelf: false))
            {
                X509Certificate2 certificate;
                try
                {
                    var der = Convert.FromBase64String(string.Concat(text.InnerText.Where(c => !char.IsWhiteSpace(c))));
                    certificate = X509CertificateLoader.LoadCertificate(der);
                }
                catch (Exception e) when (e is FormatException or CryptographicException)
                {
                    throw Bad("a certificate in the metadata is not a valid base64 X.509 certificate");
                }
                if (certificate.GetRSAPublicKey() is null && certificate.GetECDsaPublicKey() is null)
                    throw Bad($"the certificate {certificate.Subject} has neither an RSA nor an EC key");
                if (use is "" or "signing") signing.Add(certificate);
                if (use is "" or "encryption") encryption.Add(certificate);
            }
        }
        if (signing.Count == 0) throw Bad("the metadata has no signing certificate (md:KeyDescriptor use=\"signing\")");
        if (signing.All(c => c.NotAfter.ToUniversalTime() <= now.UtcDateTime))
            throw Bad($"every signing certificate in the metadata has expired (the latest on {signing.Max(c => c.NotAfter.ToUniversalTime()):yyyy-MM-dd})");

        string? Service(string element, string binding) => Children(idp, MetadataNs, element)
            .Where(s => s.GetAttribute("Binding") == binding).Select(s => s.GetAttribute("Location").Trim()).FirstOrDefault(l => l.Length > 0);
        var ssoRedirect = Service("SingleSignOnService", RedirectBinding);
        var ssoPost = Service("SingleSignOnService", PostBinding);
        if (ssoRedirect is null)
            throw Bad("the identity provider has no SingleSignOnService with the HTTP-Redirect binding, which Portal sends sign-in requests to");
        foreach (var url in new[] { ssoRedirect, ssoPost, Service("SingleLogoutService", RedirectBinding) })
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http"))
                throw Bad($"the endpoint {url} is not an http(s) URL");

        return new SamlMetadata
        {
            EntityId = entityId, SigningCertificates = signing, EncryptionCertificates = encryption,
            SsoRedirectUrl = ssoRedirect, SsoPostUrl = ssoPost, SloRedirectUrl = Service("SingleLogoutService", RedirectBinding),
            WantAuthnRequestsSigned = idp.GetAttribute("WantAuthnRequestsSigned") == "true",
            NameIdFormats = Children(idp, MetadataNs, "NameIDFormat").Select(n => n.InnerText.Trim()).Where(n => n.Length > 0).ToList(),
        };
    }

    static InvalidParameterException Bad(string why) => new($"The SAML metadata is not valid: {why}.");

    static XmlElement? Child(XmlElement parent, string ns, string name) => Children(parent, ns, name).FirstOrDefault();

    static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string name) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.NamespaceURI == ns && e.LocalName == name);

    static IEnumerable<XmlElement> Descendants(XmlElement root, string ns, string name, bool includeSelf)
    {
        if (includeSelf && root.NamespaceURI == ns && root.LocalName == name) yield return root;
        foreach (var e in root.GetElementsByTagName(name, ns).OfType<XmlElement>()) yield return e;
    }
}

/// <summary>XML as SAML reads it: no DTDs, no external resources, whitespace kept (signatures cover it).</summary>
public static class SamlXml
{
    public static XmlDocument? Load(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4 * SamlMetadata.MaxLength,
            IgnoreProcessingInstructions = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            document.Load(reader);
            return document.DocumentElement is null ? null : document;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
