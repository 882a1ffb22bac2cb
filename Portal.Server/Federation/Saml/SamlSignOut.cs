using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Server.HostedUi;
using Portal.Server.HostedUi.Pages;
using Portal.Server.Storage;

namespace Portal.Server.Federation.Saml;

/// <summary>
/// SAML single logout, SP-initiated, HTTP-Redirect binding (Cognito's IDPSignout): <c>/logout</c> ends the hosted UI's
/// session and sends a LogoutRequest signed with the pool's key, naming the NameID and SessionIndex of the sign-in, to
/// the IdP's SingleLogoutService; the IdP's LogoutResponse comes back to <c>/{domain}/saml2/logout</c> with the RelayState
/// Portal sent, and the user goes on to the app's logout_uri. The response must answer the request this very RelayState
/// carries (once), come from the provider's entity id, and carry a valid signature when it is signed.
/// </summary>
public sealed class SamlSignOut(
    PortalDb db, IdentityProviders providers, SamlProviderMetadata metadata, SamlSigningCertificates signing,
    HostedPages pages, HostedUiDomains domains, SsoSession sso, IDataProtectionProvider dataProtection, TimeProvider clock,
    ILogger<SamlSignOut> log) : ISamlSignOut
{
    /// <summary>The longest LogoutRequest or LogoutResponse read, inflated.</summary>
    const int MaxMessage = 4 * SamlResponses.MaxLength;
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    sealed record State(string Id, string Domain, string UserPoolId, string Provider, string ContinueTo, long IssuedAt);

    IDataProtector Protector => dataProtection.CreateProtector("Portal.Federation.Logout");

    static string Key(string id) => "saml-logout:" + id;

    public async Task<IResult?> Start(HttpContext http, string domain, string userPoolId, SsoSession.SamlSession saml, string continueTo,
        CancellationToken ct)
    {
        var provider = await providers.Find(userPoolId, saml.Provider, ct);
        if (provider is null || IdentityProviders.ProviderDetails(provider).GetValueOrDefault("IDPSignout") != "true") return null;
        SamlMetadata idp;
        try
        {
            idp = await metadata.For(provider, ct);
        }
        catch (Portal.Client.Contract.CognitoException e)
        {
            // The session here is over either way; the IdP's is left as it is.
            log.LogWarning("SAML logout at {Provider} of {UserPoolId} skipped: metadata {Problem}", provider.ProviderName, userPoolId, e.Message);
            return null;
        }
        if (idp.SloRedirectUrl is null) return null;

        var now = clock.GetUtcNow();
        var id = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        XNamespace samlp = SamlMetadata.ProtocolNs, a = SamlResponses.AssertionNs;
        var nameId = new XElement(a + "NameID", saml.NameId);
        if (saml.NameIdFormat is not null) nameId.Add(new XAttribute("Format", saml.NameIdFormat));
        var request = new XElement(samlp + "LogoutRequest",
            new XAttribute(XNamespace.Xmlns + "samlp", samlp.NamespaceName), new XAttribute(XNamespace.Xmlns + "saml", a.NamespaceName),
            new XAttribute("ID", id), new XAttribute("Version", "2.0"), new XAttribute("IssueInstant", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            new XAttribute("Destination", idp.SloRedirectUrl),
            new XElement(a + "Issuer", SamlServiceProvider.EntityId(userPoolId)), nameId);
        if (saml.SessionIndex is not null) request.Add(new XElement(samlp + "SessionIndex", saml.SessionIndex));

        var relayState = Protector.Protect(JsonSerializer.Serialize(new State(id, domain, userPoolId, provider.ProviderName, continueTo, now.ToUnixTimeSeconds())));
        db.ReplayGuards.Add(new ReplayGuardRow { Key = Key(id), ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(ct);

        using var certificate = await signing.For(userPoolId, ct);
        log.LogInformation("SAML logout at {Provider} of {UserPoolId} started (request {RequestId})", provider.ProviderName, userPoolId, id);
        return Results.Redirect(SamlRedirectBinding.Url(idp.SloRedirectUrl, "SAMLRequest", request, relayState, certificate));
    }

    /// <summary>The IdP's LogoutResponse at <c>/{domain}/saml2/logout</c> (or <c>/saml2/logout</c>), by redirect or POST.</summary>
    public async Task<IResult> Answer(HttpContext http, string? routeDomain)
    {
        var ct = http.RequestAborted;
        var values = new Dictionary<string, string>();
        foreach (var (k, v) in http.Request.Query) values[k] = v.ToString();
        if (http.Request.HasFormContentType)
            foreach (var (k, v) in await http.Request.ReadFormAsync(ct)) values[k] = v.ToString();
        var redirect = http.Request.Method == "GET";
        if (values.ContainsKey("SAMLRequest")) return await IdpInitiated(http, routeDomain, values, redirect);

        State? state = null;
        try
        {
            state = JsonSerializer.Deserialize<State>(Protector.Unprotect(values.GetValueOrDefault("RelayState") ?? ""));
        }
        catch (Exception e) when (e is CryptographicException or JsonException) { }
        if (state is null || DateTimeOffset.FromUnixTimeSeconds(state.IssuedAt) + Lifetime < clock.GetUtcNow() || (routeDomain is not null && routeDomain != state.Domain))
            return await Refused(http, routeDomain, UserText.Of("SloStateInvalid"),
                "LogoutResponse without a valid RelayState");
        if (!values.TryGetValue("SAMLResponse", out var encoded) || encoded.Length == 0)
            return await Refused(http, state.Domain, UserText.Of("SloNoAnswer"), "no SAMLResponse");

        XmlElement? response;
        try
        {
            var bytes = Convert.FromBase64String(encoded);
            response = SamlXml.Load(redirect ? SamlRedirectBinding.Inflate(bytes, MaxMessage) : Encoding.UTF8.GetString(bytes))?.DocumentElement;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            response = null;
        }
        if (response is null || response.NamespaceURI != SamlMetadata.ProtocolNs || response.LocalName != "LogoutResponse")
            return await Refused(http, state.Domain, UserText.Of("SloUnreadable"), "not a LogoutResponse");

        var provider = await providers.Find(state.UserPoolId, state.Provider, ct);
        if (provider is null) return await Refused(http, state.Domain, UserText.Of("SloProviderGone"), "provider gone");
        var idp = await metadata.For(provider, ct);
        var issuer = response.GetElementsByTagName("Issuer", SamlResponses.AssertionNs).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
        if (issuer != idp.EntityId)
            return await Refused(http, state.Domain, UserText.Of("SloOtherProvider"),
                $"LogoutResponse issuer {issuer ?? "(none)"} is not {idp.EntityId}");
        if (response.GetAttribute("InResponseTo") != state.Id)
            return await Refused(http, state.Domain, UserText.Of("SloNotThisSignOut"), "InResponseTo does not match");
        if (redirect && values.ContainsKey("Signature") && !SamlRedirectBinding.Verify(http.Request.QueryString.Value, "SAMLResponse", idp.SigningCertificates))
            return await Refused(http, state.Domain, UserText.Of("SloUnsigned"), "LogoutResponse signature does not verify");
        if (await db.ReplayGuards.Where(g => g.Key == Key(state.Id)).ExecuteDeleteAsync(ct) == 0)
            return await Refused(http, state.Domain, UserText.Of("SloReplayed"), "LogoutResponse replayed");

        var status = response.GetElementsByTagName("StatusCode", SamlMetadata.ProtocolNs).OfType<XmlElement>().FirstOrDefault()?.GetAttribute("Value");
        if (status == SamlResponses.Success)
            log.LogInformation("SAML logout at {Provider} of {UserPoolId} completed (request {RequestId})", state.Provider, state.UserPoolId, state.Id);
        else
            log.LogWarning("SAML logout at {Provider} of {UserPoolId} answered {Status}: the IdP session may remain", state.Provider, state.UserPoolId, status ?? "(none)");
        return Results.Redirect(state.ContinueTo);
    }

    /// <summary>
    /// A LogoutRequest from the IdP (the user signed out there, or at another app of the IdP): it must be signed by the
    /// provider (redirect-binding signature, or an XML signature when posted) and the provider must sign out at the IdP
    /// (IDPSignout). The hosted UI's session of that NameID ends, and the IdP gets a signed LogoutResponse.
    /// </summary>
    async Task<IResult> IdpInitiated(HttpContext http, string? routeDomain, Dictionary<string, string> values, bool redirect)
    {
        var ct = http.RequestAborted;
        if (routeDomain is null || await domains.Find(routeDomain, ct) is not { } pool)
            return await Refused(http, null, UserText.Of("SloNoDomain"), "LogoutRequest without a pool domain");
        XmlElement? request;
        try
        {
            var bytes = Convert.FromBase64String(values["SAMLRequest"]);
            request = SamlXml.Load(redirect ? SamlRedirectBinding.Inflate(bytes, MaxMessage) : Encoding.UTF8.GetString(bytes))?.DocumentElement;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            request = null;
        }
        if (request is null || request.NamespaceURI != SamlMetadata.ProtocolNs || request.LocalName != "LogoutRequest")
            return await Refused(http, routeDomain, UserText.Of("SloRequestUnreadable"), "not a LogoutRequest");
        var issuer = request.GetElementsByTagName("Issuer", SamlResponses.AssertionNs).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();

        // The pool's providers of this IdP: the one the session signed in with first, then one that signs out at the IdP.
        var session = sso.Read(http, routeDomain, pool.Row.Id);
        var matches = new List<(IdentityProviderRow Provider, SamlMetadata Metadata)>();
        foreach (var candidate in (await providers.List(pool.Row.Id, ct)).Where(p => p.ProviderType == "SAML"))
        {
            try
            {
                var read = await metadata.For(candidate, ct);
                if (read.EntityId == issuer) matches.Add((candidate, read));
            }
            catch (Portal.Client.Contract.CognitoException) { }
        }
        var (provider, idp) = matches.OrderByDescending(m => m.Provider.ProviderName == session?.Saml?.Provider)
            .ThenByDescending(m => IdentityProviders.ProviderDetails(m.Provider).GetValueOrDefault("IDPSignout") == "true")
            .Select(m => ((IdentityProviderRow?)m.Provider, (SamlMetadata?)m.Metadata)).FirstOrDefault();
        if (provider is null || idp is null)
            return await Refused(http, routeDomain, UserText.Of("SloUnknownIssuer"), $"LogoutRequest from unknown issuer {issuer ?? "(none)"}");
        if (IdentityProviders.ProviderDetails(provider).GetValueOrDefault("IDPSignout") != "true" || idp.SloRedirectUrl is null)
            return await Refused(http, routeDomain, UserText.Of("SloNotAllowed"), $"LogoutRequest from {provider.ProviderName} without IDPSignout");
        var signed = redirect
            ? SamlRedirectBinding.Verify(http.Request.QueryString.Value, "SAMLRequest", idp.SigningCertificates)
            : SamlResponses.SignatureOf(request) is { } xmlSignature && Verified(request, xmlSignature, idp);
        if (!signed)
            return await Refused(http, routeDomain, UserText.Of("SloRequestUnsigned"), $"LogoutRequest from {provider.ProviderName} is unsigned or its signature does not verify");

        var nameId = request.GetElementsByTagName("NameID", SamlResponses.AssertionNs).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
        if (session?.Saml is { } saml && saml.Provider == provider.ProviderName && saml.NameId == nameId)
        {
            sso.Clear(http, routeDomain);
            log.LogInformation("SAML logout from {Provider} of {UserPoolId} ended the hosted UI session", provider.ProviderName, pool.Row.Id);
        }

        XNamespace samlp = SamlMetadata.ProtocolNs, a = SamlResponses.AssertionNs;
        var response = new XElement(samlp + "LogoutResponse",
            new XAttribute(XNamespace.Xmlns + "samlp", samlp.NamespaceName), new XAttribute(XNamespace.Xmlns + "saml", a.NamespaceName),
            new XAttribute("ID", "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))), new XAttribute("Version", "2.0"),
            new XAttribute("IssueInstant", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            new XAttribute("Destination", idp.SloRedirectUrl), new XAttribute("InResponseTo", request.GetAttribute("ID")),
            new XElement(a + "Issuer", SamlServiceProvider.EntityId(pool.Row.Id)),
            new XElement(samlp + "Status", new XElement(samlp + "StatusCode", new XAttribute("Value", SamlResponses.Success))));
        using var certificate = await signing.For(pool.Row.Id, ct);
        return Results.Redirect(SamlRedirectBinding.Url(idp.SloRedirectUrl, "SAMLResponse", response,
            values.GetValueOrDefault("RelayState") is { Length: > 0 } relayState ? relayState : null, certificate));
    }

    static bool Verified(XmlElement element, XmlElement signature, SamlMetadata idp)
    {
        try
        {
            SamlResponses.Verify(element, signature, idp.SigningCertificates);
            return true;
        }
        catch (SamlResponseRefused)
        {
            return false;
        }
    }

    async Task<IResult> Refused(HttpContext http, string? domain, UserText message, string reason)
    {
        log.LogWarning("SAML logout refused{Domain}: {Reason}", domain is null ? "" : $" on {domain}", reason);
        return domain is null ? Results.Text(message.In(HostedPages.TextsOf(http)), statusCode: 400) : await pages.Message(http, domain, message, 400, signedOut: true);
    }
}
