using System.Xml;
using Microsoft.Extensions.Time.Testing;
using Portal.Server.Federation.Saml;
using Problem = Portal.Server.Federation.Saml.SamlResponseRefused.Problem;

namespace Portal.Tests.Federation;

/// <summary>SamlResponses over responses built and signed in the test: what is accepted, and each way a response is refused.</summary>
public sealed class SamlResponseTests : IDisposable
{
    const string Pool = "us-east-1_SamlUnit1";
    const string Acs = "https://portal.example.test/saml2/idpresponse";
    const string RequestId = "_req-1";
    static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    readonly SamlTestIdp idp = new();
    readonly FakeTimeProvider clock = new(Now);
    readonly SamlMetadata metadata;

    public SamlResponseTests() => metadata = SamlMetadata.Parse(idp.Metadata(), Now);

    public void Dispose() => idp.Dispose();

    SamlTestIdp.ResponseShape Shape => new() { Audience = SamlServiceProvider.EntityId(Pool), Acs = Acs, InResponseTo = RequestId, Now = Now };

    SamlExpectations Expect(bool idpInitiated = false) => new()
    {
        Idp = metadata, Audience = SamlServiceProvider.EntityId(Pool), AcsUrls = [Acs], IdpInitiated = idpInitiated,
    };

    SamlAssertion Read(XmlDocument response, bool idpInitiated = false) =>
        new SamlResponses(clock).Read(SamlTestIdp.Encode(response), Expect(idpInitiated));

    Problem Refused(XmlDocument response, bool idpInitiated = false) =>
        Assert.Throws<SamlResponseRefused>(() => Read(response, idpInitiated)).Kind;

    XmlDocument SignedAssertion(SamlTestIdp.ResponseShape? shape = null)
    {
        var response = idp.Response(shape ?? Shape);
        idp.Sign(SamlTestIdp.Assertion(response));
        return response;
    }

    [Fact]
    public void A_signed_assertion_gives_its_NameID_and_attributes()
    {
        var assertion = Read(SignedAssertion());
        Assert.Equal("jane.doe", assertion.NameId);
        Assert.Equal(RequestId, assertion.InResponseTo);
        Assert.Equal(idp.EntityId, assertion.Issuer);
        Assert.Equal("jane@example.com", assertion.Attributes["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]);
        Assert.Equal("Jane", assertion.Attributes["givenName"]);
        Assert.Equal("_s1", assertion.SessionIndex);
    }

    [Fact]
    public void A_signed_response_is_enough_when_the_assertion_is_not_signed()
    {
        var response = idp.Response(Shape);
        idp.Sign(response.DocumentElement!);
        Assert.Equal("jane.doe", Read(response).NameId);
    }

    [Fact]
    public void Response_and_assertion_both_signed_are_accepted()
    {
        var response = idp.Response(Shape);
        idp.Sign(SamlTestIdp.Assertion(response));
        idp.Sign(response.DocumentElement!);
        Assert.Equal("jane.doe", Read(response).NameId);
    }

    [Fact]
    public void Unsigned_response_is_refused()
    {
        Assert.Equal(Problem.Unsigned, Refused(idp.Response(Shape)));
    }

    [Fact]
    public void Tampered_assertion_is_refused()
    {
        var response = SignedAssertion();
        var nameId = (XmlElement)response.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!;
        nameId.InnerText = "admin";
        Assert.Equal(Problem.BadSignature, Refused(response));
    }

    [Fact]
    public void Signed_by_a_key_not_in_the_metadata_is_refused()
    {
        using var stranger = SamlTestIdp.MakeCertificate("CN=Someone else");
        var response = idp.Response(Shape);
        idp.Sign(SamlTestIdp.Assertion(response), stranger);
        var e = Assert.Throws<SamlResponseRefused>(() => Read(response));
        Assert.Equal(Problem.BadSignature, e.Kind);
        Assert.Contains("not in the IdP's metadata", e.Message);
    }

    [Fact]
    public void Wrapping_with_a_second_unsigned_assertion_is_refused()
    {
        var response = SignedAssertion();
        var forged = (XmlElement)SamlTestIdp.Assertion(response).CloneNode(deep: true);
        forged.SetAttribute("ID", "_forged");
        forged.RemoveChild(forged.GetElementsByTagName("Signature", SamlTestIdp.DsigNs)[0]!);
        ((XmlElement)forged.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!).InnerText = "admin";
        response.DocumentElement!.AppendChild(forged);
        Assert.Equal(Problem.Wrapping, Refused(response));
    }

    [Fact]
    public void Wrapping_with_the_signed_assertion_moved_under_Extensions_is_refused()
    {
        // The attack: the genuine signed assertion hides in samlp:Extensions, a forged one takes its place.
        var response = SignedAssertion();
        var genuine = SamlTestIdp.Assertion(response);
        var forged = (XmlElement)genuine.CloneNode(deep: true);
        forged.SetAttribute("ID", "_forged");
        forged.RemoveChild(forged.GetElementsByTagName("Signature", SamlTestIdp.DsigNs)[0]!);
        ((XmlElement)forged.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!).InnerText = "admin";
        var root = response.DocumentElement!;
        root.ReplaceChild(forged, genuine);
        var extensions = response.CreateElement("samlp", "Extensions", SamlTestIdp.ProtocolNs);
        extensions.AppendChild(genuine);
        root.InsertAfter(extensions, root.FirstChild);
        Assert.Equal(Problem.Wrapping, Refused(response));
    }

    [Fact]
    public void Wrapping_with_the_signed_assertion_moved_into_a_signature_Object_is_refused()
    {
        // The response is signed over a forged assertion with the genuine one kept in ds:Object, same ID.
        var response = SignedAssertion();
        var genuine = SamlTestIdp.Assertion(response);
        var forged = (XmlElement)genuine.CloneNode(deep: true);
        forged.RemoveChild(forged.GetElementsByTagName("Signature", SamlTestIdp.DsigNs)[0]!);
        ((XmlElement)forged.GetElementsByTagName("NameID", SamlTestIdp.AssertionNs)[0]!).InnerText = "admin";
        var root = response.DocumentElement!;
        root.ReplaceChild(forged, genuine);
        var signature = (XmlElement)genuine.GetElementsByTagName("Signature", SamlTestIdp.DsigNs)[0]!;
        var holder = response.CreateElement("ds", "Object", SamlTestIdp.DsigNs);
        holder.AppendChild(genuine.CloneNode(deep: true));
        signature.AppendChild(holder);
        forged.InsertAfter(signature.CloneNode(deep: true), forged.FirstChild);
        Assert.Equal(Problem.Wrapping, Refused(response));
    }

    [Fact]
    public void Wrapping_with_the_signature_pointing_at_another_element_is_refused()
    {
        // A forged assertion carries a signature whose reference names the genuine one (kept elsewhere under another ID).
        var response = SignedAssertion();
        var genuine = SamlTestIdp.Assertion(response);
        genuine.SetAttribute("ID", "_forged-" + genuine.GetAttribute("ID"));
        Assert.Equal(Problem.Wrapping, Refused(response));
    }

    [Fact]
    public void Wrong_audience_is_refused()
    {
        var response = SignedAssertion(Shape with { Audience = SamlServiceProvider.EntityId("us-east-1_Another1") });
        Assert.Equal(Problem.Misaddressed, Refused(response));
    }

    [Fact]
    public void Wrong_issuer_is_refused()
    {
        var response = SignedAssertion(Shape with { Issuer = "https://evil.example.test/saml" });
        var e = Assert.Throws<SamlResponseRefused>(() => Read(response));
        Assert.Equal(Problem.Misaddressed, e.Kind);
        Assert.Contains("issuer", e.Message);
    }

    [Fact]
    public void Expired_assertion_is_refused()
    {
        var response = SignedAssertion(Shape with { Now = Now.AddMinutes(-30), Validity = TimeSpan.FromMinutes(5) });
        Assert.Equal(Problem.Expired, Refused(response));
    }

    [Fact]
    public void An_assertion_expired_within_the_clock_skew_is_still_accepted()
    {
        var response = SignedAssertion(Shape with { Now = Now.AddMinutes(-6), Validity = TimeSpan.FromMinutes(5) });
        Assert.Equal("jane.doe", Read(response).NameId);
    }

    [Fact]
    public void Not_yet_valid_assertion_is_refused()
    {
        var response = SignedAssertion(Shape with { Now = Now.AddMinutes(10) });
        Assert.Equal(Problem.NotYetValid, Refused(response));
    }

    [Fact]
    public void Wrong_destination_is_refused()
    {
        var response = idp.Response(Shape with { Destination = "https://other.example.test/saml2/idpresponse" });
        idp.Sign(response.DocumentElement!);
        Assert.Equal(Problem.Misaddressed, Refused(response));
    }

    [Fact]
    public void Wrong_recipient_is_refused()
    {
        Assert.Equal(Problem.Misaddressed, Refused(SignedAssertion(Shape with { Recipient = "https://other.example.test/acs" })));
    }

    [Fact]
    public void Missing_InResponseTo_is_refused_for_a_sign_in_Portal_started()
    {
        Assert.Equal(Problem.Misaddressed, Refused(SignedAssertion(Shape with { InResponseTo = null })));
    }

    [Fact]
    public void IdP_initiated_response_must_not_answer_a_request_and_must_be_fresh()
    {
        Assert.Equal(Problem.Misaddressed, Refused(SignedAssertion(), idpInitiated: true));
        Assert.Equal("jane.doe", Read(SignedAssertion(Shape with { InResponseTo = null }), idpInitiated: true).NameId);
        var old = SignedAssertion(Shape with { InResponseTo = null, Now = Now.AddMinutes(-9), Validity = TimeSpan.FromMinutes(30) });
        Assert.Equal(Problem.Expired, Refused(old, idpInitiated: true));
    }

    [Fact]
    public void Status_other_than_Success_is_refused()
    {
        var response = SignedAssertion(Shape with { Status = "urn:oasis:names:tc:SAML:2.0:status:Responder" });
        var e = Assert.Throws<SamlResponseRefused>(() => Read(response));
        Assert.Equal(Problem.Status, e.Kind);
        Assert.Contains("Responder", e.Message);
    }

    [Fact]
    public void Duplicate_IDs_are_refused()
    {
        var response = SignedAssertion();
        var status = (XmlElement)response.GetElementsByTagName("Status", SamlTestIdp.ProtocolNs)[0]!;
        status.SetAttribute("ID", SamlTestIdp.Assertion(response).GetAttribute("ID"));
        Assert.Equal(Problem.Wrapping, Refused(response));
    }

    [Fact]
    public void Not_base64_or_not_a_response_is_refused()
    {
        var responses = new SamlResponses(clock);
        Assert.Equal(Problem.Malformed, Assert.Throws<SamlResponseRefused>(() => responses.Read("%%%not base64", Expect())).Kind);
        var doctype = Convert.ToBase64String("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"u8.ToArray());
        Assert.Equal(Problem.Malformed, Assert.Throws<SamlResponseRefused>(() => responses.Read(doctype, Expect())).Kind);
    }

    [Fact]
    public void Refusals_never_quote_the_assertion()
    {
        var response = SignedAssertion(Shape with { Audience = "urn:other", NameId = "secret-user-42" });
        var e = Assert.Throws<SamlResponseRefused>(() => Read(response));
        Assert.DoesNotContain("secret-user-42", e.Message);
        Assert.DoesNotContain("secret-user-42", e.UserMessage);
    }
}
