using System.Diagnostics.CodeAnalysis;
using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the forgot-password page renders.</summary>
public sealed record ForgotPasswordPageModel : PageModel
{
    [SetsRequiredMembers]
    public ForgotPasswordPageModel(PageModel page) : base(page) { }

    public string Username { get; init; } = "";
}

/// <summary><c>/forgotPassword</c>: ForgotPassword through the dispatcher; the code's page comes next.</summary>
public sealed class ForgotPasswordEndpoint(HostedPages pages, Dispatcher cognito)
{
    public async Task<IResult> Show(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        return Page(r, username: http.Request.Query["username"].ToString());
    }

    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = HostedPages.Form(http, "username");
        if (!await pages.ValidForm(r)) return Page(r, r.Texts["FormExpired"], username, status: 400);
        if (username.Length == 0)
            return Page(r, null, username, new Dictionary<string, string> { ["username"] = HostedPages.Required(r.Texts, r.Texts["Username"]) }, 400);
        try
        {
            var sent = await cognito.Send(new ForgotPasswordRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, SecretHash = HostedPages.SecretHash(r, username),
            }, http.RequestAborted);
            return Results.Redirect($"{r.BasePath}/confirmForgotPassword{HostedPages.QueryWith(r, ("username", username), ("destination", sent.CodeDeliveryDetails?.Destination ?? ""))}");
        }
        catch (CognitoException e)
        {
            return Page(r, e is UserNotFoundException ? r.Texts["NoAccountFound"] : EngineMessages.Say(e, r.Texts), username, status: 400);
        }
    }

    IResult Page(HostedUiRequest r, string? error = null, string username = "", IReadOnlyDictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedPages.Render<ForgotPasswordPage, ForgotPasswordPageModel>(new ForgotPasswordPageModel(pages.Page(r, error, fieldErrors))
        {
            Username = username,
        }, status);
}
