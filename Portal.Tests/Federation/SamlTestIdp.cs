using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Portal.Tests.Federation;

/// <summary>A SAML IdP made in the test: a self-signed certificate (CertificateRequest), its metadata, and responses
/// built as XML and signed with SignedXml, so each test can bend exactly one thing.</summary>
public sealed class SamlTestIdp : IDisposable
{
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string DsigNs = "http://www.w3.org/2000/09/xmldsig#";

    public string EntityId { get; }
    public X509Certificate2 Certificate { get; }

    public SamlTestIdp(string entityId = "https://idp.example.test/saml", string subject = "CN=Test SAML IdP")
    {
        EntityId = entityId;
        Certificate = MakeCertificate(subject);
    }

    public static X509Certificate2 MakeCertificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public string Metadata(string ssoUrl = "https://idp.example.test/sso", string? sloUrl = null) => $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="{DsigNs}" entityID="{EntityId}">
          <md:IDPSSODescriptor protocolSupportEnumeration="{ProtocolNs}">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(Certificate.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
            {(sloUrl is null ? "" : $"<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"{sloUrl}\"/>")}
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{ssoUrl}"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{ssoUrl}"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    /// <summary>What a response says; every field can be bent by a test.</summary>
    public sealed record ResponseShape
    {
        public required string Audience { get; init; }
        public required string Acs { get; init; }
        public string? InResponseTo { get; init; }
        public string NameId { get; init; } = "jane.doe";
        public string? Issuer { get; init; }
        public string? Destination { get; init; }
        public string? Recipient { get; init; }
        public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
        public TimeSpan Validity { get; init; } = TimeSpan.FromMinutes(5);
        public string Status { get; init; } = "urn:oasis:names:tc:SAML:2.0:status:Success";
        public string AssertionId { get; init; } = "_a" + Guid.NewGuid().ToString("n");
        public string ResponseId { get; init; } = "_r" + Guid.NewGuid().ToString("n");
        /// <summary>Attributes with several values (one AttributeValue each), after <see cref="Attributes"/>.</summary>
        public Dictionary<string, string[]> MultiValued { get; init; } = [];
        /// <summary>The AuthnStatement's SessionNotOnOrAfter (none when null).</summary>
        public DateTimeOffset? SessionNotOnOrAfter { get; init; }
        public Dictionary<string, string> Attributes { get; init; } = new()
        {
            ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"] = "jane@example.com",
            ["givenName"] = "Jane",
        };
    }

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public XmlDocument Response(ResponseShape s)
    {
        var irt = s.InResponseTo is null ? "" : $" InResponseTo=\"{s.InResponseTo}\"";
        var attributes = string.Concat(s.Attributes.Select(a =>
            $"<saml:Attribute Name=\"{a.Key}\"><saml:AttributeValue>{a.Value}</saml:AttributeValue></saml:Attribute>"))
            + string.Concat(s.MultiValued.Select(a =>
                $"<saml:Attribute Name=\"{a.Key}\">{string.Concat(a.Value.Select(v => $"<saml:AttributeValue>{v}</saml:AttributeValue>"))}</saml:Attribute>"));
        var sessionEnd = s.SessionNotOnOrAfter is { } end ? $" SessionNotOnOrAfter=\"{Time(end)}\"" : "";
        var xml = $"""
            <samlp:Response xmlns:samlp="{ProtocolNs}" xmlns:saml="{AssertionNs}" ID="{s.ResponseId}" Version="2.0" IssueInstant="{Time(s.Now)}" Destination="{s.Destination ?? s.Acs}"{irt}><saml:Issuer>{s.Issuer ?? EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{s.Status}"/></samlp:Status><saml:Assertion ID="{s.AssertionId}" Version="2.0" IssueInstant="{Time(s.Now)}"><saml:Issuer>{s.Issuer ?? EntityId}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">{s.NameId}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{Time(s.Now + s.Validity)}" Recipient="{s.Recipient ?? s.Acs}"{irt}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{Time(s.Now.AddSeconds(-5))}" NotOnOrAfter="{Time(s.Now + s.Validity)}"><saml:AudienceRestriction><saml:Audience>{s.Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{Time(s.Now)}" SessionIndex="_s1"{sessionEnd}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>
            """;
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return document;
    }

    public static XmlElement Assertion(XmlDocument response) =>
        (XmlElement)response.GetElementsByTagName("Assertion", AssertionNs)[0]!;

    /// <summary>Signs <paramref name="element"/> (enveloped, exc-c14n, RSA-SHA256), the signature placed after its Issuer.</summary>
    public void Sign(XmlElement element, X509Certificate2? with = null)
    {
        var certificate = with ?? Certificate;
        using var key = certificate.GetRSAPrivateKey()!;
        var signed = new SignedXml(element) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var info = new KeyInfo();
        info.AddClause(new KeyInfoX509Data(certificate));
        signed.KeyInfo = info;
        signed.ComputeSignature();
        var signature = element.OwnerDocument.ImportNode(signed.GetXml(), true);
        var issuer = element.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == "Issuer");
        element.InsertAfter(signature, issuer);
    }

    /// <summary>Replaces the (signed or not) assertion with an EncryptedAssertion for the SP's certificate: AES-256-CBC,
    /// the content key by RSA-OAEP (rsa-oaep-mgf1p) or, to test its refusal, RSA PKCS#1 v1.5.</summary>
    public static void Encrypt(XmlDocument response, X509Certificate2 sp, bool pkcs1 = false)
    {
        var assertion = Assertion(response);
        using var aes = Aes.Create();
        aes.KeySize = 256;
        var data = new EncryptedData
        {
            Type = EncryptedXml.XmlEncElementUrl, EncryptionMethod = new EncryptionMethod(EncryptedXml.XmlEncAES256Url),
            CipherData = new CipherData(new EncryptedXml().EncryptData(assertion, aes, false)),
        };
        using var rsa = sp.GetRSAPublicKey()!;
        var key = new EncryptedKey
        {
            EncryptionMethod = new EncryptionMethod(pkcs1 ? EncryptedXml.XmlEncRSA15Url : EncryptedXml.XmlEncRSAOAEPUrl),
            CipherData = new CipherData(rsa.Encrypt(aes.Key, pkcs1 ? RSAEncryptionPadding.Pkcs1 : RSAEncryptionPadding.OaepSHA1)),
        };
        data.KeyInfo = new KeyInfo();
        data.KeyInfo.AddClause(new KeyInfoEncryptedKey(key));
        var encrypted = response.CreateElement("saml", "EncryptedAssertion", AssertionNs);
        encrypted.AppendChild(response.ImportNode(data.GetXml(), true));
        assertion.ParentNode!.ReplaceChild(encrypted, assertion);
    }

    public static string Encode(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    public void Dispose() => Certificate.Dispose();
}
