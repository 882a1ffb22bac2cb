using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Security;
using Portal.Server.HostedUi;
using Portal.Server.HostedUi.Pages;

namespace Portal.Server.Federation;

/// <summary>The federation routes of a pool's domain: <c>/{domain}/federation/start</c> (from /oauth2/authorize with
/// identity_provider or idp_identifier, and from the login page's buttons and corporate-email form) and the providers'
/// way back, <c>/oauth2/idpresponse</c> (also <c>/{domain}/oauth2/idpresponse</c>, as host-based domains reach it).</summary>
public static class FederationEndpoints
{
    public static IEndpointRouteBuilder MapFederation(this IEndpointRouteBuilder app)
    {
        // The hosted pages' security headers (CSP without inline script, no framing, no caching) on every answer here too.
        var g = app.MapGroup("").DisableAntiforgery().WithHostedUiHeaders().AddEndpointFilter(Throttling.HostedUiThrottle.IdpResponse)
            .AddEndpointFilter(HostedForm.Pages);
        g.MapGet("/{domain}/federation/start", Start);
        g.MapPost("/{domain}/federation/identifier", Identifier);
        g.MapMethods("/oauth2/idpresponse", ["GET", "POST"], (HttpContext h, FederationRequests r, IdentityProviders p, OidcSignIn o, FederatedSignIn f) =>
            IdpResponse(h, null, r, p, o, f));
        g.MapMethods("/{domain}/oauth2/idpresponse", ["GET", "POST"], (HttpContext h, string domain, FederationRequests r, IdentityProviders p, OidcSignIn o, FederatedSignIn f) =>
            IdpResponse(h, domain, r, p, o, f));
        // An administrator's test sign-in from the portal: signed in to the portal, not to an app.
        g.MapGet("/federation/test/{userPoolId}/{providerName}", Test).RequireAuthorization();
        return app;
    }

    static async Task<IResult> Test(HttpContext http, string userPoolId, string providerName, IdentityProviders providers, HostedUiDomains domains,
        FederationRequests requests, OidcSignIn oidc, FederatedSignIn federated, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var request = FederationRequest.ForTest(userPoolId, await domains.DomainOf(userPoolId, ct), providerName,
            http.User.FindFirst("email")?.Value ?? http.User.FindFirst("sub")?.Value, clock.GetUtcNow());
        if (OperatorAccess.Of(http.User).Role != OperatorRoles.Administrator)
            return await federated.Fail(http, request, UserText.Of("FedTestAdminsOnly"), "test sign-in by a non-administrator", 403);
        var provider = await providers.Find(userPoolId, providerName, ct);
        if (provider is null)
            return await federated.Fail(http, request, UserText.Of("FedTestNoProvider", providerName), "unknown provider", 404);
        if (provider.ProviderType == "SAML")
        {
            var saml = http.RequestServices.GetService<ISamlSignIn>();
            if (saml is null) return await federated.Fail(http, request, UserText.Of("FedSamlUnavailable"), "no ISamlSignIn registered");
            return await saml.Start(http, provider, requests.Bind(http, request, postBack: true), ct);
        }
        return oidc.Start(http, provider, request);
    }

    static async Task<IResult> Start(HttpContext http, string domain, HostedPages pages, HostedUiCompletion completion,
        IdentityProviders providers, FederationRequests requests, OidcSignIn oidc, FederatedSignIn federated, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        var provider = r.OAuth.IdentityProvider is { } name && name != "COGNITO"
            ? await providers.Find(r.Pool.Row.Id, name, ct)
            : r.OAuth.IdpIdentifier is { } identifier ? await providers.FindByIdentifier(r.Pool.Row.Id, identifier, ct) : null;
        if (provider is null)
            return await federated.Fail(http, domain, UserText.Of("FedUnknownProvider"),
                $"unknown provider {r.OAuth.IdentityProvider ?? r.OAuth.IdpIdentifier}");
        if (r.Client!.Settings.SupportedIdentityProviders?.Contains(provider.ProviderName) != true)
            return await federated.Fail(http, domain, UserText.Of("FedProviderNotEnabled", provider.ProviderName),
                $"provider {provider.ProviderName} not enabled for client {r.Client.Row.ClientId}");
        var request = FederationRequest.From(r.Pool.Row.Id, domain, provider.ProviderName, r.OAuth, clock.GetUtcNow());
        if (provider.ProviderType == "SAML")
        {
            var saml = http.RequestServices.GetService<ISamlSignIn>();
            if (saml is null) return await federated.Fail(http, domain, UserText.Of("FedSamlUnavailable"), "no ISamlSignIn registered");
            return await saml.Start(http, provider, requests.Bind(http, request, postBack: true), ct);
        }
        return oidc.Start(http, provider, request);
    }

    /// <summary>Identifier-first: the corporate email (or identifier) picks the provider; anything else goes to the password form.</summary>
    static async Task<IResult> Identifier(HttpContext http, string domain, HostedPages pages, IdentityProviders providers)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var input = http.Request.HasFormContentType ? http.Request.Form["identifier"].ToString().Trim() : "";
        var provider = input.Length == 0 ? null : await providers.ForEmailOrIdentifier(r.Pool.Row.Id, input, http.RequestAborted);
        if (provider is not null && r.Client!.Settings.SupportedIdentityProviders?.Contains(provider.ProviderName) == true)
            return Results.Redirect($"{r.BasePath}/federation/start{(r.OAuth with { IdentityProvider = provider.ProviderName, LoginHint = input }).ToQuery()}");
        return Results.Redirect($"{r.BasePath}/login{(r.OAuth with { LoginHint = input.Length > 0 ? input : null }).ToQuery()}");
    }

    static async Task<IResult> IdpResponse(HttpContext http, string? domain, FederationRequests requests, IdentityProviders providers,
        OidcSignIn oidc, FederatedSignIn federated)
    {
        var ct = http.RequestAborted;
        var parameters = new Dictionary<string, string>();
        foreach (var (k, v) in http.Request.Query) parameters[k] = v.ToString();
        if (http.Request.HasFormContentType)
            foreach (var (k, v) in await http.Request.ReadFormAsync(ct)) parameters[k] = v.ToString();
        var (request, problem) = await requests.Take(http, parameters.GetValueOrDefault("state"), ct);
        if (request is null || (domain is not null && request.Domain != domain))
        {
            var page = domain ?? "";
            var reason = problem ?? "the state belongs to another domain";
            if (problem == FederationRequests.NotThisBrowser) return await NotThisBrowser(http, requests, parameters.GetValueOrDefault("state"), federated);
            if (page.Length == 0) return Results.Text(HostedPages.TextsOf(http)["FedStateInvalidShort"], statusCode: 400);
            return await federated.Fail(http, page, UserText.Of("FedStateInvalid"), reason);
        }
        var provider = await providers.Find(request.UserPoolId, request.ProviderName, ct);
        if (provider is null || provider.ProviderType == "SAML")
            return await federated.Fail(http, request, UserText.Of("FedProviderGone"), $"provider {request.ProviderName} gone");
        return await oidc.Response(http, request, provider, parameters, ct);
    }

    /// <summary>The answer to a sign-in this browser did not start (login CSRF, or another browser): a plain sentence,
    /// on the pool's branded error page when the request names one, and no session.</summary>
    static async Task<IResult> NotThisBrowser(HttpContext http, FederationRequests requests, string? state, FederatedSignIn federated)
    {
        var (request, _) = requests.Read(state);
        if (request is null || (request.Domain.Length == 0 && !request.Test)) return Results.Text(HostedPages.TextsOf(http)[FederationRequests.NotThisBrowserKey], statusCode: 400);
        return await federated.Fail(http, request, UserText.Of(FederationRequests.NotThisBrowserKey), FederationRequests.NotThisBrowser);
    }
}
