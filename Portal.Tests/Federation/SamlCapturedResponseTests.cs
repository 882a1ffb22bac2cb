using Microsoft.Extensions.Time.Testing;
using Portal.Server.Federation.Saml;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>A real response captured from npm saml-idp (see SamlCaptured/README.md), read at a fixed clock.</summary>
public sealed class SamlCapturedResponseTests
{
    static readonly string Folder = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "Federation", "SamlCaptured");
    static readonly DateTimeOffset Captured = new(2026, 11, 27, 18, 42, 7, 545, TimeSpan.Zero);
    const string Acs = "http://127.0.0.1:5999/saml2/idpresponse";

    static string Response => File.ReadAllText(Path.Combine(Folder, "saml-idp-response.b64")).Trim();

    static SamlExpectations Expect(DateTimeOffset at, string pool = "us-east-1_SamlTest1") => new()
    {
        Idp = SamlMetadata.Parse(File.ReadAllText(Path.Combine(Folder, "saml-idp-metadata.xml")), at),
        Audience = SamlServiceProvider.EntityId(pool), AcsUrls = [Acs],
    };

    [Fact]
    public void The_saml_idp_response_is_accepted_with_its_NameID_and_attributes()
    {
        var at = Captured.AddMinutes(1);
        var assertion = new SamlResponses(new FakeTimeProvider(at)).Read(Response, Expect(at));
        Assert.Equal("saml.jackson", assertion.NameId);
        Assert.Equal("urn:portal:test:saml-idp", assertion.Issuer);
        Assert.Equal("_portaltest0001", assertion.InResponseTo);
        Assert.Equal("Saml", assertion.Attributes["firstName"]);
        Assert.Equal("saml.jackson@example.com", assertion.Attributes["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"]);
    }

    [Fact]
    public void The_saml_idp_response_is_refused_for_another_pool_and_after_it_expired()
    {
        var at = Captured.AddMinutes(1);
        var wrongPool = Assert.Throws<SamlResponseRefused>(() => new SamlResponses(new FakeTimeProvider(at)).Read(Response, Expect(at, "us-east-1_Another1")));
        Assert.Equal(SamlResponseRefused.Problem.Misaddressed, wrongPool.Kind);
        var later = Captured.AddHours(2);
        var expired = Assert.Throws<SamlResponseRefused>(() => new SamlResponses(new FakeTimeProvider(later)).Read(Response, Expect(later)));
        Assert.Equal(SamlResponseRefused.Problem.Expired, expired.Kind);
    }

    [Fact]
    public void A_byte_changed_in_the_saml_idp_response_is_refused()
    {
        var xml = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Response)).Replace(">Jackson<", ">Jacksen<");
        var tampered = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(xml));
        var at = Captured.AddMinutes(1);
        var e = Assert.Throws<SamlResponseRefused>(() => new SamlResponses(new FakeTimeProvider(at)).Read(tampered, Expect(at)));
        Assert.Equal(SamlResponseRefused.Problem.BadSignature, e.Kind);
    }
}
