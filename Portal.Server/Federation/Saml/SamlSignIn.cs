using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Portal.Server.HostedUi;
using Portal.Server.HostedUi.Pages;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Saml;

/// <summary>
/// SAML sign-in through a pool's hosted UI: the AuthnRequest to the IdP (HTTP-Redirect binding, RelayState = the
/// protected federation request), and the IdP's answer at <c>/saml2/idpresponse</c> (HTTP-POST binding), SP- or
/// IdP-initiated, validated and handed to <see cref="FederatedSignIn"/>. A refused answer shows the hosted UI's error
/// page and logs why (never the assertion).
/// </summary>
public sealed class SamlSignIn(
    PortalDb db, IdentityProviders providers, FederationRequests requests, FederatedSignIn federated, SamlProviderMetadata metadata,
    SamlResponses responses, SamlServiceProvider sp, SamlSigningCertificates signing, HostedUiDomains domains, UserPoolStore pools,
    AppClientStore clients, HostedUiCompletion completion, HostedPages pages, TimeProvider clock, ILogger<SamlSignIn> log) : ISamlSignIn
{

    // ---- SP-initiated: the AuthnRequest -------------------------------------------------------------------------------

    public async Task<IResult> Start(HttpContext http, IdentityProviderRow provider, string protectedRequest, CancellationToken ct)
    {
        var (request, problem) = requests.Read(protectedRequest);
        var domain = request?.Domain ?? await domains.DomainOf(provider.UserPoolId, ct);
        if (request is null) return await Refused(http, domain, UserText.Of("SamlRequestUnreadable"), $"state: {problem}");
        SamlMetadata idp;
        try
        {
            idp = await metadata.For(provider, ct);
        }
        catch (Portal.Client.Contract.CognitoException e)
        {
            return await RefusedFor(http, request, UserText.Of("SamlMetadataUnavailable", provider.ProviderName),
                $"metadata of {provider.ProviderName}: {e.Message}");
        }
        var details = IdentityProviders.ProviderDetails(provider);
        var sign = details.GetValueOrDefault("RequestSigningAlgorithm") == "rsa-sha256";
        using var certificate = sign ? await signing.For(provider.UserPoolId, ct) : null;

        var now = clock.GetUtcNow();
        var id = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        XNamespace samlp = SamlMetadata.ProtocolNs, saml = SamlResponses.AssertionNs;
        var authnRequest = new XElement(samlp + "AuthnRequest",
            new XAttribute(XNamespace.Xmlns + "samlp", samlp.NamespaceName), new XAttribute(XNamespace.Xmlns + "saml", saml.NamespaceName),
            new XAttribute("ID", id), new XAttribute("Version", "2.0"), new XAttribute("IssueInstant", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            new XAttribute("Destination", idp.SsoRedirectUrl!), new XAttribute("AssertionConsumerServiceURL", sp.AcsUrlFor(http, request.Domain)),
            new XAttribute("ProtocolBinding", SamlMetadata.PostBinding),
            new XElement(saml + "Issuer", SamlServiceProvider.EntityId(provider.UserPoolId)),
            new XElement(samlp + "NameIDPolicy", new XAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
                new XAttribute("AllowCreate", "true")));

        // The request id is bound to this RelayState: an answer is accepted only for the request it names, once.
        db.ReplayGuards.Add(new ReplayGuardRow { Key = RequestKey(id, protectedRequest), ExpiresAt = now + FederationRequests.Lifetime });
        await db.SaveChangesAsync(ct);

        log.LogInformation("SAML sign-in to {Provider} of {UserPoolId} started (request {RequestId})", provider.ProviderName, provider.UserPoolId, id);
        return Results.Redirect(SamlRedirectBinding.Url(idp.SsoRedirectUrl!, "SAMLRequest", authnRequest, protectedRequest, certificate));
    }

    static bool EncryptedResponses(IdentityProviderRow provider) =>
        IdentityProviders.ProviderDetails(provider).GetValueOrDefault("EncryptedResponses") == "true";

    static string RequestKey(string requestId, string relayState) =>
        "saml-request:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(requestId + "\n" + relayState)));

    static string AssertionKey(string issuer, string id) =>
        "saml-assertion:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + id)));

    // ---- the answer: POST /saml2/idpresponse ------------------------------------------------------------------------

    public async Task<IResult> Respond(HttpContext http, string? routeDomain)
    {
        var ct = http.RequestAborted;
        if (!http.Request.HasFormContentType)
            return await Refused(http, routeDomain, UserText.Of("SamlNotAForm"), "not a form post");
        var form = await http.Request.ReadFormAsync(ct);
        var samlResponse = form["SAMLResponse"].ToString();
        var relayState = form["RelayState"].ToString();
        if (samlResponse.Length == 0)
            return await Refused(http, routeDomain, UserText.Of("SamlEmpty"), "no SAMLResponse");

        // A protected federation request means Portal started this sign-in; anything else is IdP-initiated.
        var (request, problem) = requests.Read(relayState.Length == 0 ? null : relayState);
        if (request is not null) return await SpInitiated(http, routeDomain, samlResponse, relayState, request, ct);
        if (relayState.Length > 0 && !relayState.Contains("client_id="))
            return await Refused(http, routeDomain, problem == "the state has expired"
                ? UserText.Of("SamlTooLong")
                : UserText.Of("SamlRequestUnreadable"), $"RelayState: {problem}");
        return await IdpInitiated(http, routeDomain, samlResponse, relayState, ct);
    }

    async Task<IResult> SpInitiated(HttpContext http, string? routeDomain, string samlResponse, string relayState, FederationRequest request,
        CancellationToken ct)
    {
        if (routeDomain is not null && routeDomain != request.Domain)
            return await Refused(http, routeDomain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Misaddressed),
                $"answer for domain {request.Domain} posted to domain {routeDomain}");
        // Login CSRF: the answer to a sign-in another browser started (an attacker's own) is not accepted here.
        if (FederationRequests.Unbound(http, request) is { } unbound)
            return await RefusedFor(http, request, UserText.Of(FederationRequests.NotThisBrowserKey), unbound);
        var provider = await providers.Find(request.UserPoolId, request.ProviderName, ct);
        if (provider is null || provider.ProviderType != "SAML")
            return await RefusedFor(http, request, UserText.Of("SamlProviderGone", request.ProviderName), "provider gone");
        try
        {
            using var decryption = await signing.For(request.UserPoolId, ct);
            var assertion = responses.Read(samlResponse, new SamlExpectations
            {
                Idp = await metadata.For(provider, ct), Audience = SamlServiceProvider.EntityId(request.UserPoolId), AcsUrls = sp.AcsUrls(request.Domain, http),
                Decryption = decryption, RequireEncryption = EncryptedResponses(provider),
            });
            await Once(assertion, ct);
            // The request this answers: sent by Portal, for this very RelayState, not answered before.
            var key = RequestKey(assertion.InResponseTo!, relayState);
            if (await db.ReplayGuards.Where(g => g.Key == key && g.ExpiresAt > clock.GetUtcNow()).ExecuteDeleteAsync(ct) == 0)
                throw new SamlResponseRefused(SamlResponseRefused.Problem.Misaddressed, "InResponseTo names no pending request of this sign-in");
            var (taken, problem) = await requests.Take(http, relayState, ct);
            if (taken is null) throw new SamlResponseRefused(SamlResponseRefused.Problem.Replayed, $"RelayState: {problem}");
            return await Accepted(http, provider, assertion, taken, ct);
        }
        catch (SamlResponseRefused e)
        {
            return await RefusedFor(http, request, e.Say(), $"response from {provider.ProviderName} of {provider.UserPoolId}: {e.Message}");
        }
        catch (Portal.Client.Contract.CognitoException e)
        {
            return await RefusedFor(http, request, UserText.Of("SamlMetadataUnavailable", provider.ProviderName),
                $"metadata of {provider.ProviderName}: {e.Message}");
        }
    }

    /// <summary>Unsolicited answers (IDPInit=true): the pool from the route's domain or the assertion's audience, the
    /// provider from RelayState or the issuer, the app from RelayState (the authorize parameters) or the pool's one app
    /// client that uses the provider.</summary>
    async Task<IResult> IdpInitiated(HttpContext http, string? routeDomain, string samlResponse, string relayState, CancellationToken ct)
    {
        var peek = SamlResponses.Peek(samlResponse);
        if (peek is null)
            return await Refused(http, routeDomain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Malformed), "SAMLResponse is not base64 of XML");
        var audiences = peek.GetElementsByTagName("Audience", SamlResponses.AssertionNs).OfType<System.Xml.XmlElement>()
            .Select(a => a.InnerText.Trim()).Where(a => a.StartsWith("urn:amazon:cognito:sp:", StringComparison.Ordinal)).Distinct().ToList();
        var issuer = peek.GetElementsByTagName("Issuer", SamlResponses.AssertionNs).OfType<System.Xml.XmlElement>().Select(i => i.InnerText.Trim()).FirstOrDefault();
        var poolId = routeDomain is not null ? (await domains.Find(routeDomain, ct))?.Row.Id
            : audiences.Count == 1 ? audiences[0]["urn:amazon:cognito:sp:".Length..] : null;
        var pool = poolId is null ? null : await pools.Find(poolId, ct);
        if (pool is null)
            return await Refused(http, routeDomain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Misaddressed),
                $"unsolicited response for an unknown pool (audience {string.Join(", ", audiences)})");
        var domain = routeDomain ?? await domains.DomainOf(pool.Row.Id, ct);
        if (domain is null) return await Refused(http, null, UserText.Of("SamlNoDomain"), $"pool {pool.Row.Id} has no domain");

        var oauth = OAuthParameters.From(new QueryCollection(QueryHelpers.ParseQuery(relayState)));
        IdentityProviderRow? provider = null;
        if (oauth.IdentityProvider is { } name) provider = await providers.Find(pool.Row.Id, name, ct);
        else if (oauth.IdpIdentifier is { } identifier) provider = await providers.FindByIdentifier(pool.Row.Id, identifier, ct);
        else
            foreach (var candidate in (await providers.List(pool.Row.Id, ct)).Where(p => p.ProviderType == "SAML"))
            {
                try
                {
                    if ((await metadata.For(candidate, ct)).EntityId == issuer) { provider = candidate; break; }
                }
                catch (Portal.Client.Contract.CognitoException) { /* a provider whose metadata cannot be read is not the issuer */ }
            }
        if (provider is null || provider.ProviderType != "SAML")
            return await Refused(http, domain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Misaddressed),
                $"unsolicited response from {issuer} matches no SAML provider of {pool.Row.Id}", oauth.UiLocales);
        if (IdentityProviders.ProviderDetails(provider).GetValueOrDefault("IDPInit") != "true")
            return await Refused(http, domain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Unsolicited),
                $"unsolicited response from {provider.ProviderName}, which does not allow IdP-initiated sign-in (IDPInit)", oauth.UiLocales);

        SamlAssertion assertion;
        try
        {
            using var decryption = await signing.For(pool.Row.Id, ct);
            assertion = responses.Read(samlResponse, new SamlExpectations
            {
                Idp = await metadata.For(provider, ct), Audience = SamlServiceProvider.EntityId(pool.Row.Id), AcsUrls = sp.AcsUrls(domain, http), IdpInitiated = true,
                Decryption = decryption, RequireEncryption = EncryptedResponses(provider),
            });
            await Once(assertion, ct);
        }
        catch (SamlResponseRefused e)
        {
            return await Refused(http, domain, e.Say(), $"unsolicited response from {provider.ProviderName} of {pool.Row.Id}: {e.Message}", oauth.UiLocales);
        }

        // The app: named in RelayState, or the only app client of the pool that signs in with this provider.
        if (oauth.ClientId is null)
        {
            var rows = await db.AppClients.AsNoTracking().Where(c => c.UserPoolId == pool.Row.Id).ToListAsync(ct);
            var candidates = rows.Select(r => new AppClientStore.Client(r, AppClientStore.Read(r)))
                .Where(c => c.Settings.SupportedIdentityProviders?.Contains(provider.ProviderName) == true).ToList();
            if (candidates.Count != 1)
                return await Refused(http, domain, UserText.Of("SamlWhichApp"),
                    $"unsolicited response without RelayState: {candidates.Count} app clients use {provider.ProviderName}", oauth.UiLocales);
            var only = candidates[0];
            var redirect = only.Settings.DefaultRedirectURI ?? (only.Settings.CallbackURLs is [var single] ? single : null);
            if (redirect is null)
                return await Refused(http, domain, UserText.Of("SamlWhichApp"),
                    $"unsolicited response without RelayState: client {only.Row.ClientId} has no DefaultRedirectURI", oauth.UiLocales);
            oauth = oauth with { ClientId = only.Row.ClientId, RedirectUri = redirect, ResponseType = "code" };
        }
        var client = await clients.Find(oauth.ClientId, ct);
        if (client is null || client.Row.UserPoolId != pool.Row.Id)
            return await Refused(http, domain, UserText.Of("SamlUnknownApp"), $"unsolicited response for unknown client {oauth.ClientId}", oauth.UiLocales);
        if (oauth.RedirectUri is null || client.Settings.CallbackURLs?.Contains(oauth.RedirectUri, StringComparer.Ordinal) != true)
            return await Refused(http, domain, UserText.Of("SamlUnregisteredRedirect"),
                $"unsolicited response with unregistered redirect_uri for client {client.Row.ClientId}", oauth.UiLocales);
        // Cognito: an app client that takes IdP-initiated SAML signs in with SAML providers only (login CSRF otherwise).
        if (client.Settings.SupportedIdentityProviders?.Any(p => p == "COGNITO") == true)
            return await Refused(http, domain, SamlResponseRefused.Say(SamlResponseRefused.Problem.Unsolicited),
                $"client {client.Row.ClientId} also allows COGNITO sign-in, so it does not take IdP-initiated SAML", oauth.UiLocales);
        var hosted = new HostedUiRequest
        {
            Http = http, Domain = domain, Pool = pool, Client = client, OAuth = oauth,
            Texts = Texts.For(oauth.UiLocales, http.Request.Headers.AcceptLanguage), Branding = new HostedUi.Branding(),
        };
        if (completion.CheckAuthorize(hosted) is { } refused) return refused;
        var request = FederationRequest.From(pool.Row.Id, domain, provider.ProviderName, oauth, clock.GetUtcNow());
        return await Accepted(http, provider, assertion, request, ct);
    }

    public async Task<string?> SignInUrl(IdentityProviderRow provider, CancellationToken ct)
    {
        try
        {
            return (await metadata.For(provider, ct)).SsoRedirectUrl;
        }
        catch (Portal.Client.Contract.CognitoException)
        {
            return null; // Start explains the unreachable metadata on its own page
        }
    }

    /// <summary>An assertion is used once: its id is kept until it expires.</summary>
    async Task Once(SamlAssertion assertion, CancellationToken ct)
    {
        var key = AssertionKey(assertion.Issuer, assertion.Id);
        var now = clock.GetUtcNow();
        if (await db.ReplayGuards.AnyAsync(g => g.Key == key, ct))
            throw new SamlResponseRefused(SamlResponseRefused.Problem.Replayed, $"assertion {assertion.Id} was already used");
        db.ReplayGuards.Add(new ReplayGuardRow { Key = key, ExpiresAt = (assertion.ExpiresAt > now ? assertion.ExpiresAt : now) + SamlResponses.ClockSkew });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new SamlResponseRefused(SamlResponseRefused.Problem.Replayed, $"assertion {assertion.Id} arrived twice at once");
        }
    }

    async Task<IResult> Accepted(HttpContext http, IdentityProviderRow provider, SamlAssertion assertion, FederationRequest request, CancellationToken ct)
    {
        log.LogInformation("SAML assertion {AssertionId} from {Provider} of {UserPoolId} accepted", assertion.Id, provider.ProviderName, provider.UserPoolId);
        // The IdP's entity id is the identity's issuer in the identities attribute, as Cognito writes it.
        var attributes = new Dictionary<string, string>(assertion.Attributes);
        attributes.TryAdd("iss", assertion.Issuer);
        return await federated.Complete(http, provider, assertion.NameId, attributes, request, ct,
            new SsoSession.SamlSession(provider.ProviderName, assertion.NameId, assertion.NameIdFormat, assertion.SessionIndex));
    }

    /// <summary>A refused answer to a request Portal sent: the test page for an administrator's test sign-in, else the hosted UI's error page.</summary>
    Task<IResult> RefusedFor(HttpContext http, FederationRequest request, UserText message, string reason) =>
        request.Test ? federated.Fail(http, request, message, reason) : Refused(http, request.Domain, message, reason, request.UiLocales);

    /// <summary>The hosted UI's error page; the reason goes to the log.</summary>
    async Task<IResult> Refused(HttpContext http, string? domain, UserText message, string reason, string? uiLocales = null)
    {
        log.LogWarning("SAML sign-in refused{Domain}: {Reason}", domain is null ? "" : $" on {domain}", reason);
        if (domain is not null && await domains.Find(domain, http.RequestAborted) is not null) return await pages.Message(http, domain, message, 400, uiLocales: uiLocales);
        return HostedPages.Message(http, message, 400, uiLocales);
    }

    // ---- SP metadata -------------------------------------------------------------------------------------------------

    public async Task<IResult> SpMetadata(HttpContext http, string? userPoolId, string? domain)
    {
        var ct = http.RequestAborted;
        if (domain is not null) userPoolId = (await domains.Find(domain, ct))?.Row.Id;
        if (userPoolId is null || await pools.Find(userPoolId, ct) is null) return Results.NotFound();
        using var certificate = await signing.For(userPoolId, ct);
        var slo = sp.SloUrl(domain ?? await domains.DomainOf(userPoolId, ct));
        return Results.Text(sp.Metadata(userPoolId, certificate, sp.AcsUrlFor(http, domain), slo), "application/samlmetadata+xml", Encoding.UTF8);
    }
}
