using System.Diagnostics.CodeAnalysis;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the new-password page renders: the required attributes the user has no value for yet, and the protected
/// state the form carries to its post.</summary>
public sealed record NewPasswordPageModel : PageModel
{
    [SetsRequiredMembers]
    public NewPasswordPageModel(PageModel page) : base(page) { }

    public string Session { get; init; } = "";
    public string SignInState { get; init; } = "";
    public IReadOnlyList<SignUpAttribute> RequiredAttributes { get; init; } = [];
}

/// <summary><c>/newPassword</c>: NEW_PASSWORD_REQUIRED, shown by the login page and answered here.</summary>
public sealed class NewPasswordEndpoint(HostedPages pages, HostedSignIn signIn, HostedUiCompletion completion, LoginEndpoint login)
{
    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var session = HostedPages.Form(http, "session");
        var state = HostedPages.Form(http, "signInState");
        var step = new HostedSignIn.Result(HostedSignIn.Outcome.NewPasswordRequired, Session: session)
        {
            State = state, RequiredAttributes = signIn.MissingAttributes(state),
        };
        if (!await pages.ValidForm(r)) return Page(pages, r, step, r.Texts["FormExpired"], null, 400);
        var password = HostedPages.Password(http, "password");
        if (password != HostedPages.Password(http, "confirmPassword"))
            return Page(pages, r, step, null, new Dictionary<string, string> { ["confirmPassword"] = r.Texts["PasswordsDiffer"] }, 400);
        var attributes = step.RequiredAttributes.Where(n => http.Request.Form.ContainsKey(n)).ToDictionary(n => n, n => http.Request.Form[n].ToString().Trim());
        var outcome = await signIn.CompleteNewPassword(r.Pool, r.Client!, session, state, password, attributes, http.RequestAborted);
        if (outcome.Kind == HostedSignIn.Outcome.Signed) return await completion.Complete(r, outcome.User!, outcome.AuthTime);
        if (outcome.Kind == HostedSignIn.Outcome.Mfa) return MfaEndpoint.Page(pages, r, outcome);
        if (outcome.Kind == HostedSignIn.Outcome.Failed && outcome.Session is null)
            return await login.Page(r, outcome.Say(r.Texts), status: 400);
        return Page(pages, r, outcome, null, new Dictionary<string, string> { [outcome.Field ?? "password"] = outcome.Say(r.Texts)! }, 400);
    }

    /// <summary>The new-password page of a sign-in step (from the login page too).</summary>
    public static IResult Page(HostedPages pages, HostedUiRequest r, HostedSignIn.Result step, string? error,
        IReadOnlyDictionary<string, string>? fieldErrors, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(step);
        return HostedPages.Render<NewPasswordPage, NewPasswordPageModel>(new NewPasswordPageModel(pages.Page(r, error, fieldErrors))
        {
            Session = step.Session ?? "", SignInState = step.State ?? "",
            RequiredAttributes = step.RequiredAttributes.Select(n => SignUpAttribute.For(n, r.Texts)).ToList(),
        }, status);
    }
}
