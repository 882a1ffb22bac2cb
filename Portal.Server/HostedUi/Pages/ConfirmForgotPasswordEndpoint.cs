using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.HostedUi.Pages;

/// <summary><c>/confirmForgotPassword</c>: the code and the new password, ConfirmForgotPassword through the dispatcher.</summary>
public sealed class ConfirmForgotPasswordEndpoint(HostedPages pages, Dispatcher cognito, LoginEndpoint login)
    : CodeEntryEndpoint<ConfirmForgotPasswordPage>(pages, login)
{
    protected override string DoneText => "PasswordChanged";

    protected override void Check(HttpContext http, HostedUiRequest r, Dictionary<string, string> errors)
    {
        var password = HostedPages.Password(http, "password");
        if (password.Length == 0) errors["password"] = HostedPages.Required(r.Texts, r.Texts["NewPassword"]);
        else if (password != HostedPages.Password(http, "confirmPassword")) errors["confirmPassword"] = r.Texts["PasswordsDiffer"];
    }

    protected override Task Confirm(HttpContext http, HostedUiRequest r, string username, string code) =>
        cognito.Send(new ConfirmForgotPasswordRequest
        {
            ClientId = r.Client!.Row.ClientId, Username = username, ConfirmationCode = code, Password = HostedPages.Password(http, "password"),
            SecretHash = HostedPages.SecretHash(r, username),
        }, http.RequestAborted);

    protected override string? FieldOf(CognitoException e) => e switch
    {
        InvalidPasswordException => "password",
        CodeMismatchException or ExpiredCodeException => "code",
        _ => null,
    };
}
