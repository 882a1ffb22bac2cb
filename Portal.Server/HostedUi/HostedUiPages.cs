using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.HostedUi.Pages;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>The hosted sign-in pages: plain HTML forms that call the same operations as the API.</summary>
public sealed class HostedUiPages(
    HostedUiDomains domains, AppClientStore clients, Dispatcher cognito, IAntiforgery antiforgery, HostedSignIn signIn,
    HostedUiCompletion completion, HostedUiBranding branding, Portal.Server.Federation.IdentityProviders identityProviders,
    ILogger<HostedUiPages> log)
{
    // ---- resolution ------------------------------------------------------------------------------------------

    /// <summary>The pool and client of a request, or the error page to show. Client and redirect_uri problems are
    /// never redirected (that would make Portal an open redirector): they are explained on the page.</summary>
    async Task<(HostedUiRequest? Request, IResult? Problem)> Resolve(HttpContext http, string domain, bool form = false)
    {
        var ct = http.RequestAborted;
        var oauth = form && http.Request.HasFormContentType
            ? OAuthParameters.From(await http.Request.ReadFormAsync(ct), http.Request.Query)
            : OAuthParameters.From(http.Request.Query);
        var texts = Texts.For(oauth.UiLocales, http.Request.Headers.AcceptLanguage);
        var pool = await domains.Find(domain, ct);
        if (pool is null)
            return (null, Problem(texts, HostDomains.BasePath(http, domain), texts["UnknownDomain"], 404));

        var client = oauth.ClientId is null ? null : await clients.Find(oauth.ClientId, ct);
        var look = await branding.For(http, domain, pool, client?.Row.ClientId, oauth.Preview, ct);
        var request = new HostedUiRequest
        {
            Http = http, Domain = domain, Pool = pool, Client = client, OAuth = oauth,
            Texts = Texts.For(oauth.UiLocales, http.Request.Headers.AcceptLanguage, look.DefaultLocale), Branding = look.Branding,
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

    /// <summary>The checked request of a hosted page (federation starts from it too), or the error page to show.</summary>
    public Task<(HostedUiRequest? Request, IResult? Problem)> ResolveRequest(HttpContext http, string domain, bool form = false) =>
        Resolve(http, domain, form);

    static IResult Problem(Texts texts, string basePath, string message, int status) =>
        HostedUiEndpoints.Render<MessagePage>(new
        {
            Model = new PageModel { Texts = texts, BasePath = basePath, Query = "", Branding = new Branding() },
            Heading = texts["ErrorTitle"], Text = message,
        }, status);

    IResult Problem(HostedUiRequest r, string message, int status = 400) =>
        HostedUiEndpoints.Render<MessagePage>(new { Model = r.Page(antiforgery), Heading = r.Texts["ErrorTitle"], Text = message }, status);

    async Task<bool> ValidForm(HostedUiRequest r)
    {
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

    static string Form(HttpContext http, string name) =>
        http.Request.HasFormContentType ? http.Request.Form[name].ToString().Trim() : "";

    static string? SecretHash(HostedUiRequest r, string username) => r.Client!.Row.ClientSecret is { } secret
        ? Portal.Server.SelfService.CallingClient.SecretHash(secret, username, r.Client.Row.ClientId)
        : null;


    // ---- sign in -----------------------------------------------------------------------------------------------

    /// <param name="silent">prompt=none: sign in from the session or answer login_required, never show a form.</param>
    public async Task<IResult> Login(HttpContext http, string domain, string? error = null, bool silent = false)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        if (r.OAuth.Prompt != "login" && await completion.FromSession(r) is { } done) return done;
        if (silent) return HostedUiCompletion.RedirectError(r, "login_required", "The user is not signed in.");
        return await LoginPage(r, error, values: r.OAuth.LoginHint is { } hint ? new() { ["username"] = hint } : null, status: error is null ? 200 : 400);
    }

    async Task<IResult> LoginPage(HostedUiRequest r, string? error = null, Dictionary<string, string>? values = null,
        Dictionary<string, string>? fieldErrors = null, string? info = null, int status = 200)
    {
        var (buttons, corporate) = await Federation(r);
        return HostedUiEndpoints.Render<LoginPage>(new
        {
            Model = r.Page(antiforgery, error, values, fieldErrors, info) with { Providers = buttons },
            AllowSignUp = r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly != true,
            CorporateSignIn = corporate,
            CodeFactors = HostedSignIn.CodeFactors(r.Pool, r.Client),
        }, status);
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
        var corporateProviders = configured.Where(p => Portal.Server.Federation.IdentityProviders.IdpIdentifiers(p).Count > 0).ToList();
        // The corporate-email form posts here and is redirected on to the provider: its sign-in URL joins form-action.
        foreach (var provider in corporateProviders)
        {
            var signIn = provider.ProviderType != "SAML"
                ? Portal.Server.Federation.IdentityProviders.ProviderDetails(provider).GetValueOrDefault("authorize_url")
                : r.Http.RequestServices.GetService<Portal.Server.Federation.ISamlSignIn>() is { } saml
                    ? await saml.SignInUrl(provider, r.Http.RequestAborted)
                    : null;
            HostedUiHeaders.AllowFormTarget(r.Http, signIn);
        }
        return (buttons, corporateProviders.Count > 0);
    }

    static string ButtonName(string name, string type) => type switch
    {
        "LoginWithAmazon" => "Amazon",
        "SignInWithApple" => "Apple",
        _ => name,
    };

    public async Task<IResult> LoginSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        var username = Form(http, "username");
        var password = http.Request.Form["password"].ToString();
        var values = new Dictionary<string, string> { ["username"] = username };
        if (!await ValidForm(r)) return await LoginPage(r, r.Texts["FormExpired"], values, status: 400);
        var factor = Form(http, "factor");
        if (factor is "EMAIL_OTP" or "SMS_OTP")
        {
            // Passwordless: a code instead of the password.
            if (username.Length == 0)
                return await LoginPage(r, null, values, new() { ["username"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Username"]) }, status: 400);
            var sent = await signIn.WithCode(r.Pool, r.Client!, username, factor, http.RequestAborted);
            return sent.Kind == HostedSignIn.Outcome.Mfa ? MfaPage(r, sent) : await LoginPage(r, sent.Say(r.Texts), values, status: 400);
        }
        var missing = new Dictionary<string, string>();
        if (username.Length == 0) missing["username"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Username"]);
        if (password.Length == 0) missing["password"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Password"]);
        if (missing.Count > 0) return await LoginPage(r, null, values, missing, status: 400);

        var outcome = await signIn.WithPassword(r.Pool, r.Client!, username, password, http.RequestAborted);
        switch (outcome.Kind)
        {
            case HostedSignIn.Outcome.Signed:
                return await completion.Complete(r, outcome.User!, outcome.AuthTime);
            case HostedSignIn.Outcome.NotConfirmed:
                await TrySend(() => cognito.Send(new ResendConfirmationCodeRequest
                {
                    ClientId = r.Client!.Row.ClientId, Username = outcome.User!.Username, SecretHash = SecretHash(r, outcome.User.Username),
                }, http.RequestAborted));
                return Results.Redirect($"{r.BasePath}/confirm{QueryWith(r, ("username", outcome.User!.Username))}");
            case HostedSignIn.Outcome.NewPasswordRequired:
                return NewPasswordPage(r, outcome, null, null);
            case HostedSignIn.Outcome.Mfa:
                return MfaPage(r, outcome);
            case HostedSignIn.Outcome.ResetRequired:
                return Results.Redirect($"{r.BasePath}/forgotPassword{QueryWith(r, ("username", username))}");
            default:
                return await LoginPage(r, outcome.Say(r.Texts), values, status: 400);
        }
    }

    async Task TrySend(Func<Task> send)
    {
        try { await send(); }
        catch (CognitoException e) { log.LogInformation("Hosted UI could not send a code: {Type}", e.Type); }
    }

    static string QueryWith(HostedUiRequest r, params (string Key, string Value)[] extra)
    {
        var q = r.OAuth.ToQuery();
        foreach (var (k, v) in extra) q = QueryHelpers.AddQueryString(q.Length == 0 ? "" : q, k, v);
        return q;
    }

    // ---- new password required ------------------------------------------------------------------------------------

    IResult NewPasswordPage(HostedUiRequest r, HostedSignIn.Result step, string? error, Dictionary<string, string>? fieldErrors, int status = 200)
    {
        var values = new Dictionary<string, string> { ["session"] = step.Session ?? "", ["signInState"] = step.State ?? "" };
        return HostedUiEndpoints.Render<NewPasswordPage>(new
        {
            Model = r.Page(antiforgery, error, values, fieldErrors),
            RequiredAttributes = (IReadOnlyList<SignUpAttribute>)step.RequiredAttributes.Select(n => SignUpAttribute.For(n, r.Texts)).ToList(),
        }, status);
    }

    public async Task<IResult> NewPasswordSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var session = Form(http, "session");
        var state = Form(http, "signInState");
        var page = new HostedSignIn.Result(HostedSignIn.Outcome.NewPasswordRequired, Session: session)
        {
            State = state, RequiredAttributes = signIn.MissingAttributes(state),
        };
        if (!await ValidForm(r)) return NewPasswordPage(r, page, r.Texts["FormExpired"], null, 400);
        var password = http.Request.Form["password"].ToString();
        if (password != http.Request.Form["confirmPassword"].ToString())
            return NewPasswordPage(r, page, null, new() { ["confirmPassword"] = r.Texts["PasswordsDiffer"] }, 400);
        var attributes = page.RequiredAttributes.Where(n => http.Request.Form.ContainsKey(n)).ToDictionary(n => n, n => http.Request.Form[n].ToString().Trim());
        var outcome = await signIn.CompleteNewPassword(r.Pool, r.Client!, session, state, password, attributes, http.RequestAborted);
        if (outcome.Kind == HostedSignIn.Outcome.Signed) return await completion.Complete(r, outcome.User!, outcome.AuthTime);
        if (outcome.Kind == HostedSignIn.Outcome.Mfa) return MfaPage(r, outcome);
        if (outcome.Kind == HostedSignIn.Outcome.Failed && outcome.Session is null)
            return await LoginPage(r, outcome.Say(r.Texts), status: 400);
        return NewPasswordPage(r, outcome, null, new() { [outcome.Field ?? "password"] = outcome.Say(r.Texts)! }, 400);
    }

    // ---- MFA ------------------------------------------------------------------------------------------------------

    IResult MfaPage(HostedUiRequest r, HostedSignIn.Result outcome, int status = 200)
    {
        var fieldErrors = outcome.Field switch
        {
            "code" => new Dictionary<string, string> { ["code"] = r.Texts["MfaWrongCode"] },
            _ => null,
        };
        var error = outcome.Field == "factor" ? r.Texts["MfaChooseFactor"] : null;
        return HostedUiEndpoints.Render<MfaPage>(new
        {
            Model = r.Page(antiforgery, error, new() { ["session"] = outcome.Session!, ["signInState"] = outcome.State ?? "" }, fieldErrors),
            Prompt = outcome.Prompt!,
            Issuer = r.Pool.Row.Name,
        }, outcome.Field is null ? status : 400);
    }

    /// <summary>The MFA page in the portal's branding preview: the authenticator-code step, with nothing to answer.</summary>
    public async Task<IResult> Mfa(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        if (r.OAuth.Preview is null) return Results.Redirect($"{r.BasePath}/login{r.OAuth.ToQuery()}");
        return MfaPage(r, new HostedSignIn.Result(HostedSignIn.Outcome.Mfa, Session: "preview",
            Prompt: new HostedSignIn.MfaPrompt("SOFTWARE_TOKEN_MFA", [], null, null, "preview")));
    }

    public async Task<IResult> MfaSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (!await ValidForm(r)) return await LoginPage(r, r.Texts["FormExpired"], status: 400);
        var session = Form(http, "session");
        var factor = Form(http, "factor");
        var outcome = await signIn.AnswerMfa(r.Pool, r.Client!, session, Form(http, "signInState"), factor.Length == 0 ? null : factor, Form(http, "code"),
            Form(http, "deviceName"), http.RequestAborted);
        return outcome.Kind switch
        {
            HostedSignIn.Outcome.Signed => await completion.Complete(r, outcome.User!, outcome.AuthTime),
            HostedSignIn.Outcome.Mfa => MfaPage(r, outcome),
            _ => await LoginPage(r, outcome.Say(r.Texts), status: 400),
        };
    }

    // ---- sign up and confirm -------------------------------------------------------------------------------------

    static bool UsesEmailAsUsername(HostedUiRequest r) => r.Pool.Settings.UsernameAttributes?.Contains("email") == true;

    static IReadOnlyList<SignUpAttribute> SignUpAttributes(HostedUiRequest r)
    {
        var names = (r.Pool.Settings.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub").Select(a => a.Name!).ToList();
        if ((r.Pool.Settings.AutoVerifiedAttributes?.Contains("email") == true || r.Pool.Settings.AliasAttributes?.Contains("email") == true)
            && !names.Contains("email")) names.Insert(0, "email");
        if (UsesEmailAsUsername(r)) names.Remove("email");
        return names.Select(n => SignUpAttribute.For(n, r.Texts)).ToList();
    }

    IResult SignUpPage(HostedUiRequest r, string? error = null, Dictionary<string, string>? values = null,
        Dictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedUiEndpoints.Render<SignUpPage>(new
        {
            Model = r.Page(antiforgery, error, values, fieldErrors),
            AskUsername = true,
            UsernameLabel = UsesEmailAsUsername(r) ? r.Texts["Email"] : r.Texts["UsernameLabel"],
            Attributes = SignUpAttributes(r),
        }, status);

    public async Task<IResult> SignUp(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        if (r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
            return Problem(r, r.Texts["SignUpNotAllowed"], 403);
        return SignUpPage(r);
    }

    public async Task<IResult> SignUpSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
            return Problem(r, r.Texts["SignUpNotAllowed"], 403);
        var username = Form(http, "username");
        var attributes = SignUpAttributes(r).ToDictionary(a => a.Name, a => Form(http, a.Name));
        var values = new Dictionary<string, string>(attributes) { ["username"] = username };
        if (!await ValidForm(r)) return SignUpPage(r, r.Texts["FormExpired"], values, status: 400);
        var password = http.Request.Form["password"].ToString();
        var missing = attributes.Where(a => a.Value.Length == 0)
            .ToDictionary(a => a.Key, a => string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], SignUpAttribute.For(a.Key, r.Texts).Label));
        if (username.Length == 0) missing["username"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], UsesEmailAsUsername(r) ? r.Texts["Email"] : r.Texts["UsernameLabel"]);
        if (password.Length == 0) missing["password"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Password"]);
        if (missing.Count > 0) return SignUpPage(r, null, values, missing, 400);
        try
        {
            var result = await cognito.Send(new SignUpRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, Password = password, SecretHash = SecretHash(r, username),
                UserAttributes = attributes.Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList(),
            }, http.RequestAborted);
            if (result.UserConfirmed == true)
                return await LoginPage(r, info: r.Texts["Confirmed"], values: new() { ["username"] = username });
            return Results.Redirect($"{r.BasePath}/confirm{QueryWith(r, ("username", username), ("destination", result.CodeDeliveryDetails?.Destination ?? ""))}");
        }
        catch (CognitoException e)
        {
            var field = e switch
            {
                InvalidPasswordException => "password",
                UsernameExistsException => "username",
                _ => null,
            };
            var message = e switch
            {
                UsernameExistsException => r.Texts[UsesEmailAsUsername(r) ? "EmailTaken" : "UsernameTaken"],
                InvalidPasswordException => e.Message.Replace("Password did not conform with policy: ", ""),
                _ => e.Message,
            };
            return field is null ? SignUpPage(r, message, values, status: 400) : SignUpPage(r, null, values, new() { [field] = message }, 400);
        }
    }

    IResult ConfirmPage(HostedUiRequest r, string username, string? error = null, Dictionary<string, string>? fieldErrors = null,
        string? info = null, int status = 200) =>
        HostedUiEndpoints.Render<ConfirmPage>(new
        {
            Model = r.Page(antiforgery, error, new() { ["username"] = username }, fieldErrors, info),
            Destination = r.Http.Request.Query["destination"].ToString() is { Length: > 0 } d ? d : null,
        }, status);

    public async Task<IResult> Confirm(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        return ConfirmPage(r, http.Request.Query["username"].ToString());
    }

    public async Task<IResult> ConfirmSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = Form(http, "username");
        if (!await ValidForm(r)) return ConfirmPage(r, username, r.Texts["FormExpired"], status: 400);
        var code = Form(http, "code");
        if (code.Length == 0) return ConfirmPage(r, username, null, new() { ["code"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Code"]) }, status: 400);
        try
        {
            await cognito.Send(new ConfirmSignUpRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, ConfirmationCode = code, SecretHash = SecretHash(r, username),
            }, http.RequestAborted);
            return await LoginPage(r, info: r.Texts["Confirmed"], values: new() { ["username"] = username });
        }
        catch (CognitoException e) when (e is CodeMismatchException or ExpiredCodeException or LimitExceededException or InvalidParameterException)
        {
            return ConfirmPage(r, username, null, new() { ["code"] = e.Message }, status: 400);
        }
        catch (CognitoException e)
        {
            return ConfirmPage(r, username, e.Message, status: 400);
        }
    }

    public async Task<IResult> ResendCode(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = Form(http, "username");
        if (!await ValidForm(r)) return ConfirmPage(r, username, r.Texts["FormExpired"], status: 400);
        try
        {
            var sent = await cognito.Send(new ResendConfirmationCodeRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, SecretHash = SecretHash(r, username),
            }, http.RequestAborted);
            return ConfirmPage(r, username, info: string.Format(CultureInfo.InvariantCulture, r.Texts["CodeSent"], sent.CodeDeliveryDetails?.Destination ?? "you"));
        }
        catch (CognitoException e)
        {
            return ConfirmPage(r, username, e.Message, status: 400);
        }
    }

    // ---- forgot password -------------------------------------------------------------------------------------------

    IResult ForgotPage(HostedUiRequest r, string? error = null, Dictionary<string, string>? values = null,
        Dictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedUiEndpoints.Render<ForgotPasswordPage>(new { Model = r.Page(antiforgery, error, values, fieldErrors) }, status);

    public async Task<IResult> ForgotPassword(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        return ForgotPage(r, values: new() { ["username"] = http.Request.Query["username"].ToString() });
    }

    public async Task<IResult> ForgotPasswordSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = Form(http, "username");
        var values = new Dictionary<string, string> { ["username"] = username };
        if (!await ValidForm(r)) return ForgotPage(r, r.Texts["FormExpired"], values, status: 400);
        if (username.Length == 0) return ForgotPage(r, null, values, new() { ["username"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Username"]) }, 400);
        try
        {
            var sent = await cognito.Send(new ForgotPasswordRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, SecretHash = SecretHash(r, username),
            }, http.RequestAborted);
            return Results.Redirect($"{r.BasePath}/confirmForgotPassword{QueryWith(r, ("username", username), ("destination", sent.CodeDeliveryDetails?.Destination ?? ""))}");
        }
        catch (CognitoException e)
        {
            return ForgotPage(r, e is UserNotFoundException ? r.Texts["NoAccountFound"] : e.Message, values, status: 400);
        }
    }

    IResult ConfirmForgotPage(HostedUiRequest r, string username, string? error = null, Dictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedUiEndpoints.Render<ConfirmForgotPasswordPage>(new
        {
            Model = r.Page(antiforgery, error, new() { ["username"] = username }, fieldErrors),
            Destination = r.Http.Request.Query["destination"].ToString() is { Length: > 0 } d ? d : null,
        }, status);

    public async Task<IResult> ConfirmForgotPassword(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain);
        if (r is null) return problem!;
        return ConfirmForgotPage(r, http.Request.Query["username"].ToString());
    }

    public async Task<IResult> ConfirmForgotPasswordSubmit(HttpContext http, string domain)
    {
        var (r, problem) = await Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var username = Form(http, "username");
        if (!await ValidForm(r)) return ConfirmForgotPage(r, username, r.Texts["FormExpired"], status: 400);
        var code = Form(http, "code");
        var password = http.Request.Form["password"].ToString();
        var errors = new Dictionary<string, string>();
        if (code.Length == 0) errors["code"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["Code"]);
        if (password.Length == 0) errors["password"] = string.Format(CultureInfo.InvariantCulture, r.Texts["Required"], r.Texts["NewPassword"]);
        else if (password != http.Request.Form["confirmPassword"].ToString()) errors["confirmPassword"] = r.Texts["PasswordsDiffer"];
        if (errors.Count > 0) return ConfirmForgotPage(r, username, null, errors, 400);
        try
        {
            await cognito.Send(new ConfirmForgotPasswordRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, ConfirmationCode = code, Password = password,
                SecretHash = SecretHash(r, username),
            }, http.RequestAborted);
            return await LoginPage(r, info: r.Texts["PasswordChanged"], values: new() { ["username"] = username });
        }
        catch (CognitoException e)
        {
            var field = e switch
            {
                InvalidPasswordException => "password",
                CodeMismatchException or ExpiredCodeException => "code",
                _ => null,
            };
            var message = e.Message.Replace("Password did not conform with policy: ", "");
            return field is null ? ConfirmForgotPage(r, username, message, status: 400) : ConfirmForgotPage(r, username, null, new() { [field] = message }, 400);
        }
    }

    /// <summary>A page that says one thing: an error, or that the user is signed out.</summary>
    public async Task<IResult> Message(HttpContext http, string domain, string? text, int status, bool signedOut = false)
    {
        var texts = Texts.For(http.Request.Query["ui_locales"], http.Request.Headers.AcceptLanguage);
        var pool = await domains.Find(domain, http.RequestAborted);
        if (pool is null) return Problem(texts, HostDomains.BasePath(http, domain), texts["UnknownDomainShort"], 404);
        return HostedUiEndpoints.Render<MessagePage>(new
        {
            Model = new PageModel { Texts = texts, BasePath = HostDomains.BasePath(http, domain), Query = "", Branding = new Branding { PageTitle = pool.Row.Name } },
            Heading = signedOut ? texts["SignedOut"] : texts["ErrorTitle"],
            Text = text,
        }, status);
    }

    // ---- error page --------------------------------------------------------------------------------------------------

    /// <summary>A form body that could not be read (see <see cref="HostedForm"/>).</summary>
    public IResult UnreadableForm(HttpContext http, string domain) =>
        Problem(Texts.For(http.Request.Query["ui_locales"], http.Request.Headers.AcceptLanguage), "/" + domain,
            Texts.For(http.Request.Query["ui_locales"], http.Request.Headers.AcceptLanguage)["UnreadableForm"], 400);

    public async Task<IResult> Error(HttpContext http, string domain)
    {
        var texts = Texts.For(http.Request.Query["ui_locales"], http.Request.Headers.AcceptLanguage);
        var pool = await domains.Find(domain, http.RequestAborted);
        var message = http.Request.Query["error_description"].ToString() is { Length: > 0 } d ? d : texts["SignInNotCompleted"];
        return Problem(texts, HostDomains.BasePath(http, domain), pool is null ? texts["UnknownDomainShort"] : message, pool is null ? 404 : 400);
    }
}
