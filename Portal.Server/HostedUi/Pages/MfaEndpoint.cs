using System.Diagnostics.CodeAnalysis;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the MFA page renders: the engine's challenge as a prompt (a choice of factor, a code, or the setup of an
/// authenticator app) and the protected state the form carries to its next post.</summary>
public sealed record MfaPageModel : PageModel
{
    [SetsRequiredMembers]
    public MfaPageModel(PageModel page, HostedSignIn.MfaPrompt prompt) : base(page) => Prompt = prompt;

    public HostedSignIn.MfaPrompt Prompt { get; init; }
    public string Session { get; init; } = "";
    public string SignInState { get; init; } = "";
    /// <summary>The pool remembers devices when the user says so: the page offers "Remember this device".</summary>
    public bool OffersRemember { get; init; }
    /// <summary>The name an authenticator app shows for the account (the pool's name).</summary>
    public string Issuer { get; init; } = "Portal";
}

/// <summary><c>/mfa</c>: the second sign-in step, the choice of an MFA factor, the setup of an authenticator app, and the
/// code of a passwordless sign-in (one page: the engine's challenge says which).</summary>
public sealed class MfaEndpoint(HostedPages pages, HostedSignIn signIn, HostedUiCompletion completion, LoginEndpoint login)
{
    /// <summary>The MFA page in the portal's branding preview: the authenticator-code step, with nothing to answer.</summary>
    public async Task<IResult> Show(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        if (r.OAuth.Preview is null) return Results.Redirect($"{r.BasePath}/login{r.OAuth.ToQuery()}");
        return Page(pages, r, new HostedSignIn.Result(HostedSignIn.Outcome.Mfa, Session: "preview",
            Prompt: new HostedSignIn.MfaPrompt("SOFTWARE_TOKEN_MFA", [], null, null, "preview")));
    }

    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (!await pages.ValidForm(r)) return await login.Page(r, r.Texts["FormExpired"], status: 400);
        var session = HostedPages.Form(http, "session");
        var factor = HostedPages.Form(http, "factor");
        var outcome = await signIn.AnswerMfa(r.Pool, r.Client!, session, HostedPages.Form(http, "signInState"), factor.Length == 0 ? null : factor,
            HostedPages.Form(http, "code"), HostedPages.Form(http, "deviceName"), http.RequestAborted, HostedPages.Form(http, "rememberDevice") == "true");
        if (outcome.Kind == HostedSignIn.Outcome.Signed) BrowserDevice.Write(http, domain, outcome.BrowserDevice);
        return outcome.Kind switch
        {
            HostedSignIn.Outcome.Signed => await completion.Complete(r, outcome.User!, outcome.AuthTime),
            HostedSignIn.Outcome.Mfa => Page(pages, r, outcome),
            _ => await login.Page(r, outcome.Say(r.Texts), status: 400),
        };
    }

    /// <summary>The MFA page of a sign-in step (from the login and new-password pages too); a wrong code or a missing
    /// choice is shown on its field with 400.</summary>
    public static IResult Page(HostedPages pages, HostedUiRequest r, HostedSignIn.Result outcome, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(outcome);
        var fieldErrors = outcome.Field switch
        {
            "code" => new Dictionary<string, string> { ["code"] = r.Texts["MfaWrongCode"] },
            _ => null,
        };
        var error = outcome.Field == "factor" ? r.Texts["MfaChooseFactor"] : null;
        return HostedPages.Render<MfaPage, MfaPageModel>(new MfaPageModel(pages.Page(r, error, fieldErrors), outcome.Prompt!)
        {
            Session = outcome.Session!, SignInState = outcome.State ?? "", Issuer = r.Pool.Row.Name,
            OffersRemember = Auth.Devices.Tracked(r.Pool) && Auth.Devices.OnlyOnPrompt(r.Pool) && !outcome.Prompt!.Passwordless,
        }, outcome.Field is null ? status : 400);
    }
}
