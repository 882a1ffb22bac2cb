using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Portal.Server.Federation.Saml;

/// <summary>
/// Decrypts a SAML EncryptedAssertion with the pool's key (the certificate of its SP metadata): the content key
/// transported with RSA-OAEP (rsa-oaep-mgf1p, SHA-1, as IdPs send it), the assertion encrypted with AES-CBC. RSA PKCS#1
/// v1.5 key transport is refused (padding-oracle attacks), and so are algorithms Portal does not know. The plaintext is
/// parsed without DTDs or external entities, in the namespace scope of the element it replaces.
/// </summary>
public static class SamlDecryption
{
    const string RsaOaepMgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    static readonly Dictionary<string, int> ContentAlgorithms = new()
    {
        [EncryptedXml.XmlEncAES128Url] = 16, [EncryptedXml.XmlEncAES192Url] = 24, [EncryptedXml.XmlEncAES256Url] = 32,
    };

    static SamlResponseRefused Refuse(string reason) => new(SamlResponseRefused.Problem.Malformed, reason);

    /// <summary>The decrypted saml:Assertion, a node of <paramref name="encryptedAssertion"/>'s document (not yet inserted).</summary>
    public static XmlElement Decrypt(XmlElement encryptedAssertion, X509Certificate2 certificate)
    {
        var document = encryptedAssertion.OwnerDocument;
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("xenc", EncryptedXml.XmlEncNamespaceUrl);
        ns.AddNamespace("ds", SignedXml.XmlDsigNamespaceUrl);
        var dataElement = encryptedAssertion.SelectSingleNode("xenc:EncryptedData", ns) as XmlElement
                          ?? throw Refuse("the EncryptedAssertion has no EncryptedData");
        // The content key rides in the EncryptedData's KeyInfo, or beside it in the EncryptedAssertion.
        var keyElement = dataElement.SelectSingleNode("ds:KeyInfo/xenc:EncryptedKey", ns) as XmlElement
                         ?? encryptedAssertion.SelectSingleNode("xenc:EncryptedKey", ns) as XmlElement
                         ?? throw Refuse("the EncryptedAssertion carries no EncryptedKey");
        var data = new EncryptedData();
        var key = new EncryptedKey();
        try
        {
            data.LoadXml(dataElement);
            key.LoadXml(keyElement);
        }
        catch (CryptographicException e)
        {
            throw Refuse($"the EncryptedAssertion cannot be read: {e.Message}");
        }

        var contentAlgorithm = data.EncryptionMethod?.KeyAlgorithm ?? "(none)";
        if (!ContentAlgorithms.TryGetValue(contentAlgorithm, out var keyLength))
            throw Refuse($"the assertion is encrypted with {contentAlgorithm}; Portal decrypts AES-CBC (aes128-cbc, aes192-cbc, aes256-cbc)");
        var transport = key.EncryptionMethod?.KeyAlgorithm ?? "(none)";
        if (transport != RsaOaepMgf1p)
            throw Refuse(transport == EncryptedXml.XmlEncRSA15Url
                ? "the content key is transported with RSA PKCS#1 v1.5, which Portal refuses; configure the IdP for rsa-oaep-mgf1p"
                : $"the content key is transported with {transport}; Portal takes rsa-oaep-mgf1p");
        var digest = (keyElement.SelectSingleNode("xenc:EncryptionMethod/ds:DigestMethod", ns) as XmlElement)?.GetAttribute("Algorithm");
        if (digest is { Length: > 0 } && digest != Sha1)
            throw Refuse($"the content key's OAEP digest is {digest}; rsa-oaep-mgf1p is taken with SHA-1");

        using var rsa = certificate.GetRSAPrivateKey() ?? throw Refuse("this pool's certificate has no RSA private key");
        byte[] contentKey;
        try
        {
            contentKey = rsa.Decrypt(key.CipherData.CipherValue ?? throw Refuse("the content key has no CipherValue"), RSAEncryptionPadding.OaepSHA1);
        }
        catch (CryptographicException)
        {
            throw Refuse("the content key does not decrypt with this pool's key (encrypted for another service provider?)");
        }
        if (contentKey.Length != keyLength) throw Refuse($"the content key is {contentKey.Length} bytes; {contentAlgorithm} needs {keyLength}");

        byte[] plaintext;
        using (var aes = Aes.Create())
        {
            aes.Key = contentKey;
            try
            {
                plaintext = new EncryptedXml().DecryptData(data, aes);
            }
            catch (CryptographicException e)
            {
                throw Refuse($"the assertion does not decrypt: {e.Message}");
            }
        }
        return Parse(encryptedAssertion, Encoding.UTF8.GetString(plaintext));
    }

    /// <summary>The plaintext as one element of the document, read with the prefixes in scope where it stood.</summary>
    static XmlElement Parse(XmlElement context, string xml)
    {
        var document = context.OwnerDocument;
        var scope = new XmlNamespaceManager(document.NameTable);
        var declared = new HashSet<string>();
        // Innermost declarations win, as they do where the encrypted assertion stood.
        for (XmlNode? node = context; node is XmlElement element; node = node.ParentNode)
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI != "http://www.w3.org/2000/xmlns/") continue;
                var prefix = attribute.Prefix == "xmlns" ? attribute.LocalName : "";
                if (declared.Add(prefix)) scope.AddNamespace(prefix, attribute.Value);
            }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, ConformanceLevel = ConformanceLevel.Fragment,
            IgnoreProcessingInstructions = true, IgnoreComments = true, MaxCharactersInDocument = 4 * SamlResponses.MaxLength,
        };
        XmlElement? assertion = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings, new XmlParserContext(document.NameTable, scope, null, XmlSpace.Preserve));
            reader.MoveToContent();
            while (!reader.EOF)
            {
                var node = document.ReadNode(reader);
                if (node is XmlElement element)
                {
                    if (assertion is not null) throw Refuse("the EncryptedAssertion holds more than one element");
                    assertion = element;
                }
                else if (node is null) break;
                else if (node is not XmlWhitespace and not XmlSignificantWhitespace) throw Refuse("the EncryptedAssertion holds text besides its assertion");
            }
        }
        catch (XmlException e)
        {
            throw Refuse($"the decrypted assertion is not well-formed XML: {e.Message}");
        }
        if (assertion is null || assertion.NamespaceURI != SamlResponses.AssertionNs || assertion.LocalName != "Assertion")
            throw Refuse("the EncryptedAssertion does not hold a saml:Assertion");
        return assertion;
    }
}
