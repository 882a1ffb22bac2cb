using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the pages that ask for a code the user was sent render (confirm account, reset password): whose code,
/// and where it went.</summary>
public sealed record CodeSentPageModel : PageModel
{
    [SetsRequiredMembers]
    public CodeSentPageModel(PageModel page) : base(page) { }

    public string Username { get; init; } = "";
    /// <summary>Where the code was sent (masked), or null when the page does not know.</summary>
    public string? Destination { get; init; }
}

/// <summary><c>/confirm</c> and <c>/resendCode</c>: ConfirmSignUp and ResendConfirmationCode through the dispatcher.</summary>
public sealed class ConfirmEndpoint(HostedPages pages, Dispatcher cognito, LoginEndpoint login) : CodeEntryEndpoint<ConfirmPage>(pages, login)
{
    protected override string DoneText => "Confirmed";

    protected override Task Confirm(HttpContext http, HostedUiRequest r, string username, string code) =>
        cognito.Send(new ConfirmSignUpRequest
        {
            ClientId = r.Client!.Row.ClientId, Username = username, ConfirmationCode = code, SecretHash = HostedPages.SecretHash(r, username),
        }, http.RequestAborted);

    protected override string? FieldOf(CognitoException e) =>
        e is CodeMismatchException or ExpiredCodeException or LimitExceededException or InvalidParameterException ? "code" : null;

    public async Task<IResult> ResendCode(HttpContext http, string domain)
    {
        var (r, problem) = await Pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = HostedPages.Form(http, "username");
        if (!await Pages.ValidForm(r)) return Page(r, username, r.Texts["FormExpired"], status: 400);
        try
        {
            var sent = await cognito.Send(new ResendConfirmationCodeRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, SecretHash = HostedPages.SecretHash(r, username),
            }, http.RequestAborted);
            return Page(r, username, info: string.Format(CultureInfo.InvariantCulture, r.Texts["CodeSent"],
                sent.CodeDeliveryDetails?.Destination ?? r.Texts["YourAddress"]));
        }
        catch (CognitoException e)
        {
            return Page(r, username, EngineMessages.Say(e, r.Texts), status: 400);
        }
    }
}
