using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Portal.Server.HostedUi;

namespace Portal.Server.Federation.Saml;

/// <summary>What a SAML response must be addressed to, and by whom it must be signed.</summary>
public sealed record SamlExpectations
{
    public required SamlMetadata Idp { get; init; }
    /// <summary>The pool's SP entity id, <c>urn:amazon:cognito:sp:{userPoolId}</c>.</summary>
    public required string Audience { get; init; }
    /// <summary>The pool's assertion consumer URLs; Destination and Recipient must be one of them.</summary>
    public required IReadOnlyCollection<string> AcsUrls { get; init; }
    /// <summary>IdP-initiated: the response must not answer a request (no InResponseTo) and must be fresh.</summary>
    public bool IdpInitiated { get; init; }
    /// <summary>The pool's certificate with its private key, which decrypts EncryptedAssertions (null: none is accepted).</summary>
    public X509Certificate2? Decryption { get; init; }
    /// <summary>The provider's EncryptedResponses: a plain assertion is refused.</summary>
    public bool RequireEncryption { get; init; }
}

/// <summary>A validated assertion: who the IdP says the user is, and what it says about them.</summary>
public sealed record SamlAssertion(
    string Id, string Issuer, string NameId, string? NameIdFormat, string? InResponseTo, string? SessionIndex,
    IReadOnlyDictionary<string, string> Attributes, DateTimeOffset ExpiresAt)
{
    /// <summary>Each attribute's values one by one (<see cref="Attributes"/> joins them with commas).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>The AuthnStatement's SessionNotOnOrAfter: when the IdP wants the session it starts to end.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }
}

/// <summary>Why a SAML response was refused: <see cref="Kind"/> picks what the user reads, the message is for the log
/// (it never quotes the assertion).</summary>
public sealed class SamlResponseRefused(SamlResponseRefused.Problem kind, string reason) : Exception(reason)
{
    public enum Problem { Malformed, Unsigned, BadSignature, Wrapping, Misaddressed, Expired, NotYetValid, Replayed, Status, Unsolicited }

    public Problem Kind { get; } = kind;

    /// <summary>What the user reads, in the page's language.</summary>
    public UserText Say() => Say(Kind);

    /// <summary>What the user reads, in English.</summary>
    public string UserMessage => Texts.English(Key(Kind));

    public static UserText Say(Problem kind) => UserText.Of(Key(kind));

    static string Key(Problem kind) => kind switch
    {
        Problem.Unsigned or Problem.BadSignature or Problem.Wrapping => "SamlUntrusted",
        Problem.Expired => "SamlExpired",
        Problem.NotYetValid => "SamlNotYetValid",
        Problem.Replayed => "SamlReplayed",
        Problem.Misaddressed => "SamlMisaddressed",
        Problem.Status => "SamlStatus",
        Problem.Unsolicited => "SamlUnsolicited",
        _ => "SamlUnreadable",
    };
}

/// <summary>
/// Reads a SAML 2.0 Response (HTTP-POST binding) and accepts it only when it is what Portal asked for: signed (response
/// or assertion) by a key of the IdP's metadata over exactly the assertion that is read, from the IdP, for this pool,
/// to this ACS, in its validity window, with Success status. Signature wrapping is closed by construction: IDs must be
/// unique, there must be exactly one Assertion and it must be the Response's own child, and a signature's one Reference
/// must resolve to the very element that holds the signature.
/// </summary>
public sealed class SamlResponses(TimeProvider clock)
{
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string Bearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    /// <summary>Cognito's limit on a SAMLResponse parameter.</summary>
    public const int MaxLength = 100_000;
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    /// <summary>How old an IdP-initiated assertion may be (Cognito: issued within the previous 6 minutes).</summary>
    public static readonly TimeSpan UnsolicitedMaxAge = TimeSpan.FromMinutes(6);

    static readonly string[] SignatureMethods =
    [
        SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url, SignedXml.XmlDsigRSASHA1Url,
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    ];

    static SamlResponseRefused Refuse(SamlResponseRefused.Problem kind, string reason) => new(kind, reason);

    /// <summary>The response's root element, unverified: only to choose which pool and provider to verify against.</summary>
    public static XmlElement? Peek(string samlResponse) => Decode(samlResponse)?.DocumentElement;

    static XmlDocument? Decode(string samlResponse)
    {
        if (string.IsNullOrEmpty(samlResponse) || samlResponse.Length > MaxLength) return null;
        try
        {
            return SamlXml.Load(Encoding.UTF8.GetString(Convert.FromBase64String(samlResponse.Trim())));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public SamlAssertion Read(string samlResponse, SamlExpectations expect)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrEmpty(samlResponse)) throw Refuse(SamlResponseRefused.Problem.Malformed, "no SAMLResponse");
        if (samlResponse.Length > MaxLength) throw Refuse(SamlResponseRefused.Problem.Malformed, $"SAMLResponse longer than {MaxLength} characters");
        var document = Decode(samlResponse) ?? throw Refuse(SamlResponseRefused.Problem.Malformed, "SAMLResponse is not base64 of well-formed XML");
        var root = document.DocumentElement!;
        if (root.NamespaceURI != SamlMetadata.ProtocolNs || root.LocalName != "Response")
            throw Refuse(SamlResponseRefused.Problem.Malformed, $"the document is a {root.LocalName}, not a samlp:Response");
        if (root.GetAttribute("Version") != "2.0") throw Refuse(SamlResponseRefused.Problem.Malformed, "the response is not SAML 2.0");

        // Every ID once: a signature reference must have exactly one element to resolve to.
        UniqueIds(document);

        // The IdP's verdict first: a failure answer usually carries no assertion.
        var status = Child(Child(root, SamlMetadata.ProtocolNs, "Status"), SamlMetadata.ProtocolNs, "StatusCode");
        if (status?.GetAttribute("Value") != Success)
        {
            var second = Child(status, SamlMetadata.ProtocolNs, "StatusCode")?.GetAttribute("Value");
            throw Refuse(SamlResponseRefused.Problem.Status, $"status {status?.GetAttribute("Value") ?? "(none)"}{(second is { Length: > 0 } ? " / " + second : "")}");
        }

        // An encrypted assertion: the response's signature (over the ciphertext) is checked first, then the assertion is
        // decrypted in place and read like any other; its own signature is checked below.
        var responseSignature = SignatureOf(root);
        var responseVerified = false;
        var certificates = expect.Idp.SigningCertificates;
        var encrypted = document.GetElementsByTagName("EncryptedAssertion", AssertionNs).OfType<XmlElement>().ToList();
        if (encrypted.Count > 0)
        {
            if (expect.Decryption is null)
                throw Refuse(SamlResponseRefused.Problem.Malformed, "the response holds an EncryptedAssertion, and this pool has no key to decrypt it");
            if (encrypted.Count != 1 || document.GetElementsByTagName("Assertion", AssertionNs).Count > 0)
                throw Refuse(SamlResponseRefused.Problem.Wrapping, "the response must hold exactly one assertion, encrypted or not");
            if (encrypted[0].ParentNode != root)
                throw Refuse(SamlResponseRefused.Problem.Wrapping, "the encrypted assertion is not a direct child of the response");
            if (responseSignature is not null)
            {
                Verify(root, responseSignature, certificates);
                responseVerified = true;
            }
            root.ReplaceChild(SamlDecryption.Decrypt(encrypted[0], expect.Decryption), encrypted[0]);
            UniqueIds(document);
        }
        else if (expect.RequireEncryption)
            throw Refuse(SamlResponseRefused.Problem.Malformed, "the provider is set to EncryptedResponses, and this assertion is not encrypted");
        var assertions = document.GetElementsByTagName("Assertion", AssertionNs).OfType<XmlElement>().ToList();
        if (assertions.Count != 1)
            throw Refuse(assertions.Count == 0 ? SamlResponseRefused.Problem.Malformed : SamlResponseRefused.Problem.Wrapping,
                $"the response holds {assertions.Count} assertions; exactly one is accepted");
        var assertion = assertions[0];
        if (assertion.ParentNode != root)
            throw Refuse(SamlResponseRefused.Problem.Wrapping, "the assertion is not a direct child of the response");

        // Signed: the response, the assertion, or both; any signature present must verify.
        var assertionSignature = SignatureOf(assertion);
        if (responseSignature is null && assertionSignature is null)
            throw Refuse(SamlResponseRefused.Problem.Unsigned, "neither the response nor the assertion is signed");
        if (responseSignature is not null && !responseVerified) Verify(root, responseSignature, certificates);
        if (assertionSignature is not null) Verify(assertion, assertionSignature, certificates);

        // From the IdP, to this pool's ACS.
        var issuer = Child(assertion, AssertionNs, "Issuer")?.InnerText.Trim();
        if (issuer != expect.Idp.EntityId)
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, $"the assertion's issuer {issuer ?? "(none)"} is not the IdP's entity id {expect.Idp.EntityId}");
        if (Child(root, AssertionNs, "Issuer")?.InnerText.Trim() is { } responseIssuer && responseIssuer != expect.Idp.EntityId)
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, $"the response's issuer {responseIssuer} is not the IdP's entity id {expect.Idp.EntityId}");
        var destination = root.GetAttribute("Destination");
        if (destination.Length > 0 && !expect.AcsUrls.Contains(destination))
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, $"the response's Destination {destination} is not this pool's ACS URL");
        if (destination.Length == 0 && responseSignature is not null)
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, "a signed response must name its Destination");

        // The subject, confirmed for bearer use at this ACS and still valid.
        var subject = Child(assertion, AssertionNs, "Subject") ?? throw Refuse(SamlResponseRefused.Problem.Malformed, "the assertion has no Subject");
        var nameId = Child(subject, AssertionNs, "NameID");
        if (nameId is null || nameId.InnerText.Trim().Length == 0)
            throw Refuse(SamlResponseRefused.Problem.Malformed, "the assertion has no NameID (an EncryptedID is not accepted)");
        string? confirmedInResponseTo = null;
        DateTimeOffset? confirmedUntil = null;
        string? problem = null;
        var problemKind = SamlResponseRefused.Problem.Misaddressed;
        foreach (var confirmation in Children(subject, AssertionNs, "SubjectConfirmation").Where(c => c.GetAttribute("Method") == Bearer))
        {
            var data = Child(confirmation, AssertionNs, "SubjectConfirmationData");
            var recipient = data?.GetAttribute("Recipient") ?? "";
            var until = Time(data, "NotOnOrAfter");
            var from = Time(data, "NotBefore");
            if (!expect.AcsUrls.Contains(recipient))
                (problem, problemKind) = ($"the subject confirmation's Recipient {(recipient.Length == 0 ? "(none)" : recipient)} is not this pool's ACS URL", SamlResponseRefused.Problem.Misaddressed);
            else if (until is null)
                (problem, problemKind) = ("the subject confirmation has no NotOnOrAfter", SamlResponseRefused.Problem.Malformed);
            else if (now - ClockSkew >= until)
                (problem, problemKind) = ($"the subject confirmation expired at {until:O}", SamlResponseRefused.Problem.Expired);
            else if (from is not null && now + ClockSkew < from)
                (problem, problemKind) = ($"the subject confirmation is valid only from {from:O}", SamlResponseRefused.Problem.NotYetValid);
            else
            {
                confirmedInResponseTo = data!.GetAttribute("InResponseTo");
                confirmedUntil = until;
                problem = null;
                break;
            }
        }
        if (confirmedUntil is null)
            throw Refuse(problemKind, problem ?? "the assertion has no bearer SubjectConfirmation");

        // Which request it answers: exactly the one Portal sent (SP-initiated), or none (IdP-initiated).
        var answered = new[] { root.GetAttribute("InResponseTo"), confirmedInResponseTo ?? "" }.Where(v => v.Length > 0).Distinct().ToList();
        if (expect.IdpInitiated && answered.Count > 0)
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, "an IdP-initiated response must not carry InResponseTo, and no request of this sign-in matches it");
        if (!expect.IdpInitiated && answered.Count != 1)
            throw Refuse(SamlResponseRefused.Problem.Misaddressed, answered.Count == 0
                ? "the response does not name the request it answers (no InResponseTo)"
                : "the response and its subject confirmation answer different requests (InResponseTo)");

        // Conditions: the validity window and this pool as the audience.
        var conditions = Child(assertion, AssertionNs, "Conditions") ?? throw Refuse(SamlResponseRefused.Problem.Misaddressed, "the assertion has no Conditions (no audience)");
        if (Time(conditions, "NotBefore") is { } notBefore && now + ClockSkew < notBefore)
            throw Refuse(SamlResponseRefused.Problem.NotYetValid, $"the assertion is valid only from {notBefore:O}");
        var notOnOrAfter = Time(conditions, "NotOnOrAfter");
        if (notOnOrAfter is not null && now - ClockSkew >= notOnOrAfter)
            throw Refuse(SamlResponseRefused.Problem.Expired, $"the assertion expired at {notOnOrAfter:O}");
        var restrictions = Children(conditions, AssertionNs, "AudienceRestriction").ToList();
        if (restrictions.Count == 0) throw Refuse(SamlResponseRefused.Problem.Misaddressed, "the assertion has no AudienceRestriction");
        foreach (var restriction in restrictions)
        {
            var audiences = Children(restriction, AssertionNs, "Audience").Select(a => a.InnerText.Trim()).ToList();
            if (!audiences.Contains(expect.Audience))
                throw Refuse(SamlResponseRefused.Problem.Misaddressed, $"the assertion is for {string.Join(", ", audiences)}, not {expect.Audience}");
        }
        var issued = Time(assertion, "IssueInstant") ?? throw Refuse(SamlResponseRefused.Problem.Malformed, "the assertion has no IssueInstant");
        if (issued > now + ClockSkew) throw Refuse(SamlResponseRefused.Problem.NotYetValid, $"the assertion was issued in the future ({issued:O})");
        if (expect.IdpInitiated && now - issued > UnsolicitedMaxAge + ClockSkew)
            throw Refuse(SamlResponseRefused.Problem.Expired, $"an IdP-initiated assertion must be at most {UnsolicitedMaxAge.TotalMinutes:0} minutes old; it was issued at {issued:O}");

        var id = assertion.GetAttribute("ID");
        if (id.Length == 0) throw Refuse(SamlResponseRefused.Problem.Malformed, "the assertion has no ID");
        var session = Children(assertion, AssertionNs, "AuthnStatement").Select(a => a.GetAttribute("SessionIndex")).FirstOrDefault(s => s.Length > 0);
        var expiresAt = new[] { confirmedUntil.Value, notOnOrAfter ?? confirmedUntil.Value }.Max();
        var values = AttributeValues(assertion);
        var sessionEnd = Children(assertion, AssertionNs, "AuthnStatement").Select(a => Time(a, "SessionNotOnOrAfter")).FirstOrDefault(t => t is not null);
        return new SamlAssertion(id, issuer, nameId.InnerText.Trim(), nameId.GetAttribute("Format") is { Length: > 0 } f ? f : null,
            answered.FirstOrDefault(), session, values.ToDictionary(v => v.Key, v => string.Join(",", v.Value)), expiresAt)
        {
            Values = values.ToDictionary(v => v.Key, v => (IReadOnlyList<string>)v.Value),
            SessionNotOnOrAfter = sessionEnd,
        };
    }

    static void UniqueIds(XmlDocument document)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlElement element in document.GetElementsByTagName("*"))
            foreach (XmlAttribute attribute in element.Attributes)
                if (attribute.NamespaceURI.Length == 0 && attribute.LocalName is "ID" or "Id" or "id" && !ids.Add(attribute.Value))
                    throw Refuse(SamlResponseRefused.Problem.Wrapping, $"the ID {attribute.Value} appears more than once");
    }

    /// <summary>SAML attributes by Name; several values are joined with commas.</summary>
    static Dictionary<string, List<string>> AttributeValues(XmlElement assertion)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var statement in Children(assertion, AssertionNs, "AttributeStatement"))
            foreach (var attribute in Children(statement, AssertionNs, "Attribute"))
            {
                var name = attribute.GetAttribute("Name");
                if (name.Length == 0) continue;
                if (!values.TryGetValue(name, out var list)) values[name] = list = [];
                foreach (var value in Children(attribute, AssertionNs, "AttributeValue"))
                    if (value.GetAttribute("nil", "http://www.w3.org/2001/XMLSchema-instance") != "true") list.Add(value.InnerText.Trim());
            }
        return values;
    }

    internal static XmlElement? SignatureOf(XmlElement element)
    {
        var signatures = Children(element, SamlMetadata.DsigNs, "Signature").ToList();
        if (signatures.Count > 1) throw Refuse(SamlResponseRefused.Problem.Wrapping, $"the {element.LocalName} has {signatures.Count} signatures");
        return signatures.FirstOrDefault();
    }

    /// <summary>Checks that <paramref name="signature"/> signs exactly <paramref name="element"/> (one Reference, to its ID,
    /// with only the enveloped and canonicalization transforms) with a key of the IdP's metadata.</summary>
    internal static void Verify(XmlElement element, XmlElement signature, IReadOnlyList<X509Certificate2> certificates)
    {
        var id = element.GetAttribute("ID");
        if (id.Length == 0) throw Refuse(SamlResponseRefused.Problem.Wrapping, $"the signed {element.LocalName} has no ID");
        var signed = new ElementSignedXml(element, id);
        try
        {
            signed.LoadXml(signature);
        }
        catch (CryptographicException e)
        {
            throw Refuse(SamlResponseRefused.Problem.BadSignature, $"the {element.LocalName}'s signature cannot be read: {e.Message}");
        }
        if (signed.SignedInfo is not { References.Count: 1 } info || info.References[0] is not Reference reference)
            throw Refuse(SamlResponseRefused.Problem.Wrapping, $"the {element.LocalName}'s signature must have exactly one reference");
        if (reference.Uri != "#" + id)
            throw Refuse(SamlResponseRefused.Problem.Wrapping, $"the {element.LocalName}'s signature covers {reference.Uri}, not the {element.LocalName} itself (#{id})");
        foreach (Transform transform in reference.TransformChain)
            if (transform is not (XmlDsigEnvelopedSignatureTransform or XmlDsigExcC14NTransform or XmlDsigC14NTransform))
                throw Refuse(SamlResponseRefused.Problem.BadSignature, $"the {element.LocalName}'s signature uses the transform {transform.Algorithm}");
        if (!SignatureMethods.Contains(info.SignatureMethod))
            throw Refuse(SamlResponseRefused.Problem.BadSignature, $"the signature algorithm {info.SignatureMethod} is not accepted");

        foreach (var certificate in certificates)
        {
            try
            {
                if (signed.CheckSignature(certificate, verifySignatureOnly: true)) return;
            }
            catch (CryptographicException)
            {
                // A key of another type than the signature's algorithm: try the next certificate.
            }
        }
        // Say which: a certificate the IdP does not publish, or a document changed after signing.
        var presented = signed.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []).FirstOrDefault();
        if (presented is not null && certificates.All(c => c.Thumbprint != presented.Thumbprint))
            throw Refuse(SamlResponseRefused.Problem.BadSignature,
                $"the {element.LocalName} is signed by {presented.Subject} ({presented.Thumbprint}), a certificate not in the IdP's metadata");
        throw Refuse(SamlResponseRefused.Problem.BadSignature, $"the {element.LocalName}'s signature does not verify with the IdP's certificates (tampered, or signed by an unknown key)");
    }

    /// <summary>SignedXml that resolves a reference only to the one element it was made for: never a look-alike
    /// elsewhere in the document.</summary>
    sealed class ElementSignedXml(XmlElement element, string id) : SignedXml(element)
    {
        readonly XmlElement signed = element;

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) => idValue == id ? signed : null;
    }

    static DateTimeOffset? Time(XmlElement? element, string attribute)
    {
        var text = element?.GetAttribute(attribute);
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw Refuse(SamlResponseRefused.Problem.Malformed, $"{element!.LocalName}@{attribute} is not a time");
    }

    static XmlElement? Child(XmlElement? parent, string ns, string name) => parent is null ? null : Children(parent, ns, name).FirstOrDefault();

    static IEnumerable<XmlElement> Children(XmlElement parent, string ns, string name) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.NamespaceURI == ns && e.LocalName == name);
}
