using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the hosted pages' endpoints share: the request resolved to its pool and checked client, the antiforgery
/// check, the common part of a page's model, and the one-sentence page (errors, signed out).</summary>
public sealed class HostedPages(HostedUiDomains domains, AppClientStore clients, HostedUiBranding branding, IAntiforgery antiforgery)
{
    /// <summary>The checked request of a hosted page (federation starts from it too), or the error page to show. Client and
    /// redirect_uri problems are never redirected (that would make Portal an open redirector): they are explained on the page.</summary>
    public async Task<(HostedUiRequest? Request, IResult? Problem)> Resolve(HttpContext http, string domain, bool form = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        var ct = http.RequestAborted;
        var oauth = form && http.Request.HasFormContentType
            ? OAuthParameters.From(await http.Request.ReadFormAsync(ct), http.Request.Query)
            : OAuthParameters.From(http.Request.Query);
        var texts = Texts.For(oauth.Languages, http.Request.Headers.AcceptLanguage);
        var pool = await domains.Find(domain, ct);
        if (pool is null)
            return (null, Problem(texts, HostDomains.BasePath(http, domain), texts["UnknownDomain"], 404));

        var client = oauth.ClientId is null ? null : await clients.Find(oauth.ClientId, ct);
        var look = await branding.For(http, domain, pool, client?.Row.ClientId, oauth.Preview, ct);
        var request = new HostedUiRequest
        {
            Http = http, Domain = domain, Pool = pool, Client = client, OAuth = oauth,
            Texts = Texts.For(oauth.Languages, http.Request.Headers.AcceptLanguage, look.DefaultLocale), Branding = look.Branding,
        };
        if (oauth.ClientId is null)
            return (null, Problem(request, request.Texts["MissingClientId"]));
        if (client is null || client.Row.UserPoolId != pool.Row.Id)
            return (null, Problem(request, request.Texts["UnknownClient"]));
        if (oauth.RedirectUri is null || client.Settings.CallbackURLs?.Contains(oauth.RedirectUri, StringComparer.Ordinal) != true)
            return (null, Problem(request, request.Texts["UnregisteredRedirect"]));
        // The page's forms end with a redirect to the app: the browser checks that redirect against form-action.
        HostedUiHeaders.AllowFormTarget(http, oauth.RedirectUri);
        return (request, null);
    }

    /// <summary>The common part of the model of a page of <paramref name="r"/>, with a fresh antiforgery token.</summary>
    public PageModel Page(HostedUiRequest r, string? error = null, IReadOnlyDictionary<string, string>? fieldErrors = null, string? info = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Page(antiforgery, error, fieldErrors, info);
    }

    /// <summary>Whether the posted form carries this browser's antiforgery token.</summary>
    public async Task<bool> ValidForm(HostedUiRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        try
        {
            await antiforgery.ValidateRequestAsync(r.Http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>The error page of a resolved request.</summary>
    public IResult Problem(HostedUiRequest r, string message, int status = 400)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Render<MessagePage, MessagePageModel>(new MessagePageModel(Page(r)) { Heading = r.Texts["ErrorTitle"], Text = message }, status);
    }

    /// <summary>The error page when there is no pool to brand it with.</summary>
    public static IResult Problem(Texts texts, string basePath, string message, int status)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var page = new PageModel { Texts = texts, BasePath = basePath, Query = "", Branding = Branding.Plain(texts) };
        return Render<MessagePage, MessagePageModel>(new MessagePageModel(page) { Heading = texts["ErrorTitle"], Text = message }, status);
    }

    /// <summary>The words of a page that has no OAuth request to read them from: the sign-in's ui_locales when the page
    /// continues one (<paramref name="uiLocales"/>), else the address's lang and ui_locales, then Accept-Language.</summary>
    public static Texts TextsOf(HttpContext http, string? uiLocales = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Texts.For(uiLocales ?? $"{http.Request.Query["lang"]} {http.Request.Query["ui_locales"]}", http.Request.Headers.AcceptLanguage);
    }

    /// <summary>A page of a pool's domain that says one thing: an error, or that the user is signed out.</summary>
    public async Task<IResult> Message(HttpContext http, string domain, UserText? text, int status, bool signedOut = false, string? uiLocales = null)
    {
        var texts = TextsOf(http, uiLocales);
        var pool = await domains.Find(domain, http.RequestAborted);
        if (pool is null) return Problem(texts, HostDomains.BasePath(http, domain), texts["UnknownDomainShort"], 404);
        var page = new PageModel { Texts = texts, BasePath = HostDomains.BasePath(http, domain), Query = "", Branding = new Branding { PageTitle = pool.Row.Name } };
        return Render<MessagePage, MessagePageModel>(new MessagePageModel(page)
        {
            Heading = signedOut ? texts["SignedOut"] : texts["ErrorTitle"],
            Text = text?.In(texts),
        }, status);
    }

    /// <summary>The error page for no domain at all (a SAML answer to an address without one).</summary>
    public static IResult Message(HttpContext http, UserText text, int status, string? uiLocales = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var texts = TextsOf(http, uiLocales);
        return Problem(texts, "", text.In(texts), status);
    }

    /// <summary>A form body that could not be read (see <see cref="HostedForm"/>).</summary>
    public static IResult UnreadableForm(HttpContext http, string domain)
    {
        var texts = TextsOf(http);
        return Problem(texts, "/" + domain, texts["UnreadableForm"], 400);
    }

    /// <summary>A hosted page as a result, with its status code.</summary>
    public static IResult Render<TPage, TModel>(TModel model, int status = 200) where TPage : IHostedPage<TModel> where TModel : PageModel =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["Model"] = model })
        {
            StatusCode = status, ContentType = "text/html; charset=utf-8",
        };

    // ---- form helpers ----

    /// <summary>A posted field, trimmed ("" when the request has no form).</summary>
    public static string Form(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.HasFormContentType ? http.Request.Form[name].ToString().Trim() : "";
    }

    /// <summary>A posted password, as typed (not trimmed).</summary>
    public static string Password(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Form[name].ToString();
    }

    /// <summary>"{label} is required." in the page's language.</summary>
    public static string Required(Texts texts, string label)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return string.Format(CultureInfo.InvariantCulture, texts["Required"], label);
    }

    /// <summary>The SECRET_HASH of a client with a secret, as an app would send it.</summary>
    public static string? SecretHash(HostedUiRequest r, string username)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Client!.Row.ClientSecret is { } secret
            ? Portal.Server.SelfService.CallingClient.SecretHash(secret, username, r.Client.Row.ClientId)
            : null;
    }

    /// <summary>The request's OAuth parameters with more added (for the next page's address).</summary>
    public static string QueryWith(HostedUiRequest r, params (string Key, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(r);
        var q = r.OAuth.ToQuery();
        foreach (var (k, v) in extra) q = QueryHelpers.AddQueryString(q.Length == 0 ? "" : q, k, v);
        return q;
    }

    /// <summary>A query-string value of the page's address, or null when it is missing or empty.</summary>
    public static string? QueryValue(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query[name].ToString() is { Length: > 0 } v ? v : null;
    }
}
