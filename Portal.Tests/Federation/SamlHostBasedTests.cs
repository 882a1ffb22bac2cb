using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Tests.Federation;

/// <summary>Issue 14: SAML through a pool domain reached host-based (in Development <c>{domain}.localhost</c>): the
/// AuthnRequest names the host-based ACS, the answer posted there signs in, and after single logout at the IdP (which
/// answers at Portal's public URL) the user goes on on the host-based origin.</summary>
[Collection(SamlCollection.Name)]
public sealed class SamlHostBasedTests(SamlFixture f)
{
    readonly SamlSteps saml = new(f);

    [Fact]
    public async Task Sign_in_and_single_logout_through_a_host_based_domain_stay_on_its_origin()
    {
        var (name, clientId) = await saml.SloProvider("Host");
        var origin = $"http://{f.Domain}.localhost:{f.Server.Port}";
        using var http = SamlSteps.NoRedirects();
        http.DefaultRequestHeaders.Host = $"{f.Domain}.localhost:{f.Server.Port}";

        var (request, relayState, _) = await saml.StartSignIn(http, name, clientId, pathBase: "", state: null,
            eachHop: location => Assert.DoesNotContain($"/{f.Domain}/", location.OriginalString));
        Assert.Equal($"{origin}/saml2/idpresponse", request.GetAttribute("AssertionConsumerServiceURL"));

        var signedIn = await saml.Post(http, saml.Signed(saml.Answer(request, "host-" + name)), relayState);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith(SamlSteps.Callback + "?code=", signedIn.Headers.Location!.OriginalString);

        // Single logout: the IdP first; its answer arrives at the public URL and sends the user back to the host-based origin.
        var logout = await http.GetAsync($"{f.Server.BaseUrl}/logout?client_id={clientId}");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var slo = QueryHelpers.ParseQuery(logout.Headers.Location!.Query);
        var logoutRequest = new System.Xml.XmlDocument();
        logoutRequest.LoadXml(SamlSteps.Inflate(slo["SAMLRequest"]!));
        var back = saml.SignedByIdp(SamlSteps.RedirectQuery("SAMLResponse", saml.LogoutResponse(logoutRequest.DocumentElement!.GetAttribute("ID")), slo["RelayState"]!));
        using var publicUrl = SamlSteps.NoRedirects();
        var done = await publicUrl.GetAsync($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout?{back}");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"{origin}/logout?client_id={clientId}", done.Headers.Location!.OriginalString);
    }
}
