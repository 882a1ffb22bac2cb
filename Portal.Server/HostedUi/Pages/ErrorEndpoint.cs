using System.Diagnostics.CodeAnalysis;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the one-sentence page renders: the error page and the signed-out page.</summary>
public sealed record MessagePageModel : PageModel
{
    [SetsRequiredMembers]
    public MessagePageModel(PageModel page) : base(page) { }

    public string Heading { get; init; } = "";
    public string? Text { get; init; }
    /// <summary>A link back to the login page, when the page has one.</summary>
    public string? BackHref { get; init; }
}

/// <summary><c>/error</c>: where a sign-in that could not be completed ends (the description, when given, is shown).</summary>
public sealed class ErrorEndpoint(HostedUiDomains domains)
{
    public async Task<IResult> Show(HttpContext http, string domain)
    {
        var texts = HostedPages.TextsOf(http);
        var pool = await domains.Find(domain, http.RequestAborted);
        var message = HostedPages.QueryValue(http, "error_description") ?? texts["SignInNotCompleted"];
        return HostedPages.Problem(texts, HostDomains.BasePath(http, domain), pool is null ? texts["UnknownDomainShort"] : message, pool is null ? 404 : 400);
    }
}
