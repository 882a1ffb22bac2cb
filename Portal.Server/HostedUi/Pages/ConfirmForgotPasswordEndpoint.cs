using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.HostedUi.Pages;

/// <summary><c>/confirmForgotPassword</c>: the code and the new password, ConfirmForgotPassword through the dispatcher.</summary>
public sealed class ConfirmForgotPasswordEndpoint(HostedPages pages, Dispatcher cognito, LoginEndpoint login)
{
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
        var password = HostedPages.Password(http, "password");
        var errors = new Dictionary<string, string>();
        if (code.Length == 0) errors["code"] = HostedPages.Required(r.Texts, r.Texts["Code"]);
        if (password.Length == 0) errors["password"] = HostedPages.Required(r.Texts, r.Texts["NewPassword"]);
        else if (password != HostedPages.Password(http, "confirmPassword")) errors["confirmPassword"] = r.Texts["PasswordsDiffer"];
        if (errors.Count > 0) return Page(r, username, null, errors, 400);
        try
        {
            await cognito.Send(new ConfirmForgotPasswordRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, ConfirmationCode = code, Password = password,
                SecretHash = HostedPages.SecretHash(r, username),
            }, http.RequestAborted);
            return await login.Page(r, info: r.Texts["PasswordChanged"], username: username);
        }
        catch (CognitoException e)
        {
            var field = e switch
            {
                InvalidPasswordException => "password",
                CodeMismatchException or ExpiredCodeException => "code",
                _ => null,
            };
            var message = EngineMessages.Say(e, r.Texts);
            return field is null
                ? Page(r, username, message, status: 400)
                : Page(r, username, null, new Dictionary<string, string> { [field] = message }, 400);
        }
    }

    IResult Page(HostedUiRequest r, string username, string? error = null, IReadOnlyDictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedPages.Render<ConfirmForgotPasswordPage, CodeSentPageModel>(
            new CodeSentPageModel(pages.Page(r, error, fieldErrors))
            {
                Username = username, Destination = HostedPages.QueryValue(r.Http, "destination"),
            }, status);
}
