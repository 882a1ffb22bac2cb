using Portal.Client.Contract;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the pages that take a code the user was sent (confirm account, reset password) share: the page for a
/// username, the form's checks, the confirmation through the dispatcher, then the sign-in page with a message; an error
/// next to its field when it belongs to one, else above the form.</summary>
public abstract class CodeEntryEndpoint<TPage>(HostedPages pages, LoginEndpoint login) where TPage : IHostedPage<CodeSentPageModel>
{
    protected HostedPages Pages => pages;

    /// <summary>The text key of the message the sign-in page shows once confirmed.</summary>
    protected abstract string DoneText { get; }

    /// <summary>The page's own fields beyond the code, each missing or wrong one added to <paramref name="errors"/>.</summary>
    protected virtual void Check(HttpContext http, HostedUiRequest r, Dictionary<string, string> errors) { }

    protected abstract Task Confirm(HttpContext http, HostedUiRequest r, string username, string code);

    /// <summary>The form field an error is about, or null for an error of the whole form.</summary>
    protected abstract string? FieldOf(CognitoException e);

    public async Task<IResult> Show(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        return Page(r, http.Request.Query["username"].ToString());
    }

    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = HostedPages.Form(http, "username");
        if (!await pages.ValidForm(r)) return Page(r, username, r.Texts["FormExpired"], status: 400);
        var code = HostedPages.Form(http, "code");
        var errors = new Dictionary<string, string>();
        if (code.Length == 0) errors["code"] = HostedPages.Required(r.Texts, r.Texts["Code"]);
        Check(http, r, errors);
        if (errors.Count > 0) return Page(r, username, null, errors, status: 400);
        try
        {
            await Confirm(http, r, username, code);
            return await login.Page(r, info: r.Texts[DoneText], username: username);
        }
        catch (CognitoException e)
        {
            var message = EngineMessages.Say(e, r.Texts);
            return FieldOf(e) is { } field
                ? Page(r, username, null, new Dictionary<string, string> { [field] = message }, status: 400)
                : Page(r, username, message, status: 400);
        }
    }

    protected IResult Page(HostedUiRequest r, string username, string? error = null, IReadOnlyDictionary<string, string>? fieldErrors = null,
        string? info = null, int status = 200) =>
        HostedPages.Render<TPage, CodeSentPageModel>(new CodeSentPageModel(pages.Page(r, error, fieldErrors, info))
        {
            Username = username, Destination = HostedPages.QueryValue(r.Http, "destination"),
        }, status);
}
