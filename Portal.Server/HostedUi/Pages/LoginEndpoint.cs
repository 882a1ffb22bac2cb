using System.Diagnostics.CodeAnalysis;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Federation;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the login page renders.</summary>
public sealed record LoginPageModel : PageModel
{
    [SetsRequiredMembers]
    public LoginPageModel(PageModel page) : base(page) { }

    public string Username { get; init; } = "";
    public bool AllowSignUp { get; init; } = true;
    /// <summary>The corporate-email step: one of the client's providers has IdpIdentifiers.</summary>
    public bool CorporateSignIn { get; init; }
    /// <summary>A "continue with" button per identity provider the client supports, in the client's order.</summary>
    public IReadOnlyList<IdentityProviderButton> Providers { get; init; } = [];
    /// <summary>The passwordless factors offered (EMAIL_OTP, SMS_OTP): a code instead of the password.</summary>
    public IReadOnlyList<string> CodeFactors { get; init; } = [];
    /// <summary>"Sign in with a passkey": the request options and session of a passkey sign-in, when the pool offers it.</summary>
    public PasskeyOffer? Passkey { get; init; }
}

/// <summary><c>/login</c>: the sign-in form (password, or a passwordless code), the federation buttons, and where the
/// other pages send the user back to (with a message).</summary>
public sealed class LoginEndpoint(HostedPages pages, HostedSignIn signIn, HostedUiCompletion completion, Dispatcher cognito,
    IdentityProviders identityProviders, ILogger<LoginEndpoint> log)
{
    /// <param name="silent">prompt=none: sign in from the session or answer login_required, never show a form.</param>
    public async Task<IResult> Show(HttpContext http, string domain, UserText? error = null, bool silent = false)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        if (r.OAuth.Prompt != "login" && await completion.FromSession(r) is { } done) return done;
        if (silent) return HostedUiCompletion.RedirectError(r, "login_required", "The user is not signed in.");
        return await Page(r, error?.In(r.Texts), username: r.OAuth.LoginHint ?? "", status: error is null ? 200 : 400);
    }

    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        var username = HostedPages.Form(http, "username");
        var password = HostedPages.Password(http, "password");
        if (!await pages.ValidForm(r)) return await Page(r, r.Texts["FormExpired"], username, status: 400);
        var factor = HostedPages.Form(http, "factor");
        if (factor is "EMAIL_OTP" or "SMS_OTP")
        {
            // Passwordless: a code instead of the password.
            if (username.Length == 0)
                return await Page(r, null, username, new Dictionary<string, string> { ["username"] = HostedPages.Required(r.Texts, r.Texts["Username"]) }, status: 400);
            var sent = await signIn.WithCode(r.Pool, r.Client!, username, factor, http.RequestAborted);
            return sent.Kind == HostedSignIn.Outcome.Mfa ? MfaEndpoint.Page(pages, r, sent) : await Page(r, sent.Say(r.Texts), username, status: 400);
        }
        var missing = new Dictionary<string, string>();
        if (username.Length == 0) missing["username"] = HostedPages.Required(r.Texts, r.Texts["Username"]);
        if (password.Length == 0) missing["password"] = HostedPages.Required(r.Texts, r.Texts["Password"]);
        if (missing.Count > 0) return await Page(r, null, username, missing, status: 400);

        var device = new Dictionary<string, string>();
        BrowserDevice.AddTo(http, domain, device);
        var outcome = await signIn.WithPassword(r.Pool, r.Client!, username, password, http.RequestAborted, device);
        switch (outcome.Kind)
        {
            case HostedSignIn.Outcome.Signed:
                return await completion.Complete(r, outcome.User!, outcome.AuthTime);
            case HostedSignIn.Outcome.NotConfirmed:
                await TrySend(() => cognito.Send(new ResendConfirmationCodeRequest
                {
                    ClientId = r.Client!.Row.ClientId, Username = outcome.User!.Username, SecretHash = HostedPages.SecretHash(r, outcome.User.Username),
                }, http.RequestAborted));
                return Results.Redirect($"{r.BasePath}/confirm{HostedPages.QueryWith(r, ("username", outcome.User!.Username))}");
            case HostedSignIn.Outcome.NewPasswordRequired:
                return NewPasswordEndpoint.Page(pages, r, outcome, null, null);
            case HostedSignIn.Outcome.Mfa:
                return MfaEndpoint.Page(pages, r, outcome);
            case HostedSignIn.Outcome.ResetRequired:
                return Results.Redirect($"{r.BasePath}/forgotPassword{HostedPages.QueryWith(r, ("username", username))}");
            default:
                return await Page(r, outcome.Say(r.Texts), username, status: 400);
        }
    }

    /// <summary>The login page of <paramref name="r"/>: with an error, a field's error, or a message (another page's
    /// happy end: "your account is confirmed").</summary>
    public async Task<IResult> Page(HostedUiRequest r, string? error = null, string username = "",
        IReadOnlyDictionary<string, string>? fieldErrors = null, string? info = null, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (buttons, corporate) = await Federation(r);
        return HostedPages.Render<LoginPage, LoginPageModel>(new LoginPageModel(pages.Page(r, error, fieldErrors, info))
        {
            Username = username,
            Providers = buttons,
            AllowSignUp = r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly != true,
            CorporateSignIn = corporate,
            CodeFactors = HostedSignIn.CodeFactors(r.Pool, r.Client),
            Passkey = await r.Http.RequestServices.GetRequiredService<PasskeyEndpoint>().Offer(r),
        }, status);
    }

    async Task TrySend(Func<Task> send)
    {
        try { await send(); }
        catch (CognitoException e) { log.LogInformation("Hosted UI could not send a code: {Type}", e.Type); }
    }

    /// <summary>The login page's federation: a button per provider the client supports (in the client's order), and the
    /// corporate-email step when one of them has IdpIdentifiers.</summary>
    async Task<(IReadOnlyList<IdentityProviderButton> Buttons, bool Corporate)> Federation(HostedUiRequest r)
    {
        var supported = (r.Client?.Settings.SupportedIdentityProviders ?? []).Where(p => p != "COGNITO").ToList();
        if (supported.Count == 0) return ([], false);
        var configured = (await identityProviders.List(r.Pool.Row.Id, r.Http.RequestAborted)).Where(p => supported.Contains(p.ProviderName))
            .OrderBy(p => supported.IndexOf(p.ProviderName)).ToList();
        var buttons = configured.Select(p => new IdentityProviderButton(ButtonName(p.ProviderName, p.ProviderType),
            $"{r.BasePath}/oauth2/authorize{(r.OAuth with { IdentityProvider = p.ProviderName }).ToQuery()}")).ToList();
        var corporateProviders = configured.Where(p => IdentityProviders.IdpIdentifiers(p).Count > 0).ToList();
        // The corporate-email form posts here and is redirected on to the provider: its sign-in URL joins form-action.
        foreach (var provider in corporateProviders)
        {
            var signInUrl = provider.ProviderType != "SAML"
                ? IdentityProviders.ProviderDetails(provider).GetValueOrDefault("authorize_url")
                : r.Http.RequestServices.GetService<ISamlSignIn>() is { } saml
                    ? await saml.SignInUrl(provider, r.Http.RequestAborted)
                    : null;
            HostedUiHeaders.AllowFormTarget(r.Http, signInUrl);
        }
        return (buttons, corporateProviders.Count > 0);
    }

    /// <summary>A provider's name on its button: the brand for the social providers whose type says it.</summary>
    static string ButtonName(string name, string type) => type switch
    {
        "LoginWithAmazon" => "Amazon",
        "SignInWithApple" => "Apple",
        _ => name,
    };
}
