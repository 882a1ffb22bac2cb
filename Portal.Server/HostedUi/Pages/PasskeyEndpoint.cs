using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.HostedUi.Operations;
using Portal.Server.Storage;

namespace Portal.Server.HostedUi.Pages;

/// <summary>A passkey sign-in offered on the login page: the request options for the browser and the engine's session.</summary>
public sealed record PasskeyOffer(string Options, string Session);

/// <summary>What the add-a-passkey page renders.</summary>
public sealed record AddPasskeyPageModel : PageModel
{
    [SetsRequiredMembers]
    public AddPasskeyPageModel(PageModel page) : base(page) { }

    /// <summary>The creation options for navigator.credentials.create, or null when passkeys are not enabled.</summary>
    public string? Options { get; init; }
    public int Count { get; init; }
}

/// <summary>
/// Passkeys on the hosted UI: "sign in with a passkey" on the login page (a WEB_AUTHN sign-in of the one engine that
/// names no user: the passkey the browser picks tells who signs in, as the browser's passkey autofill needs), and
/// <c>/passkeys/add</c>, where a signed-in user adds a passkey. The browser side is <c>/hosted-ui/passkey.js</c>.
/// </summary>
public sealed class PasskeyEndpoint(HostedPages pages, HostedSignIn signIn, HostedUiCompletion completion, Dispatcher engine, SsoSession sso,
    PortalDb db, Auth.Passkeys.Passkeys passkeys, ILogger<PasskeyEndpoint> log)
{
    /// <summary>The login page's passkey sign-in, when the pool offers passkeys to this client (ALLOW_USER_AUTH).</summary>
    public async Task<PasskeyOffer?> Offer(HostedUiRequest r)
    {
        if (r.Client?.Settings.ExplicitAuthFlows?.Contains("ALLOW_USER_AUTH") != true || !Auth.Passkeys.Passkeys.Enabled(r.Pool)) return null;
        try
        {
            var step = await engine.Send(new HostedAuthRequest
            {
                Action = HostedAuthAction.Initiate, ClientId = r.Client.Row.ClientId, AuthFlow = AuthFlow.UserAuth,
                Parameters = new() { ["PREFERRED_CHALLENGE"] = WebAuthnStep.Challenge },
            }, r.Http.RequestAborted);
            return new PasskeyOffer(step.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"], step.Session!);
        }
        catch (CognitoException e)
        {
            // A pool without a relying party: the page offers the other ways in.
            log.LogInformation("No passkey sign-in offered: {Type}", e.Type);
            return null;
        }
    }

    /// <summary>POST <c>/passkey</c>: the browser's assertion answers the WEB_AUTHN challenge.</summary>
    public async Task<IResult> SignIn(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (completion.CheckAuthorize(r) is { } refused) return refused;
        var login = http.RequestServices.GetRequiredService<LoginEndpoint>();
        if (!await pages.ValidForm(r)) return await login.Page(r, r.Texts["FormExpired"], status: 400);
        var credential = HostedPages.Form(http, "credential");
        if (credential.Length == 0) return await login.Page(r, r.Texts["PasskeyCancelled"], status: 400);
        try
        {
            var step = await engine.Send(new HostedAuthRequest
            {
                Action = HostedAuthAction.Respond, ClientId = r.Client!.Row.ClientId, ChallengeName = WebAuthnStep.Challenge,
                Session = HostedPages.Form(http, "session"), Parameters = new() { ["CREDENTIAL"] = credential },
            }, http.RequestAborted);
            var outcome = await signIn.Page(r.Pool, r.Client, step, "", http.RequestAborted);
            return outcome.Kind switch
            {
                HostedSignIn.Outcome.Signed => await completion.Complete(r, outcome.User!, outcome.AuthTime),
                HostedSignIn.Outcome.Mfa => MfaEndpoint.Page(pages, r, outcome),
                _ => await login.Page(r, outcome.Say(r.Texts), status: 400),
            };
        }
        catch (NotAuthorizedException e) when (e.Message == SignInErrors.AttemptsExceeded)
        {
            return await login.Page(r, r.Texts["SignInLocked"], status: 400);
        }
        catch (CognitoException e)
        {
            log.LogInformation("Passkey sign-in refused: {Type}", e.Type);
            return await login.Page(r, r.Texts["PasskeyFailed"], status: 400);
        }
    }

    /// <summary>GET <c>/passkeys/add</c>: for the user signed in to the hosted UI (else the login page first).</summary>
    public async Task<IResult> ShowAdd(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        var user = await SignedIn(r);
        if (user is null) return Results.Redirect($"{r.BasePath}/login{r.OAuth.ToQuery()}");
        return await AddPage(r, user);
    }

    /// <summary>POST <c>/passkeys/add</c>: the browser's new credential, verified and stored for the signed-in user.</summary>
    public async Task<IResult> SubmitAdd(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        var user = await SignedIn(r);
        if (user is null) return Results.Redirect($"{r.BasePath}/login{r.OAuth.ToQuery()}");
        if (!await pages.ValidForm(r)) return await AddPage(r, user, r.Texts["FormExpired"], status: 400);
        try
        {
            using var credential = JsonDocument.Parse(HostedPages.Form(http, "credential"));
            await passkeys.CompleteRegistration(r.Pool, user, r.Client!.Row.ClientId, credential.RootElement, http.RequestAborted);
            return await AddPage(r, user, info: r.Texts["PasskeyAdded"]);
        }
        catch (Exception e) when (e is CognitoException or JsonException)
        {
            log.LogInformation("Passkey not added: {Type}", (e as CognitoException)?.Type ?? "JSON");
            return await AddPage(r, user, r.Texts["PasskeyAddFailed"], status: 400);
        }
    }

    async Task<UserRow?> SignedIn(HostedUiRequest r)
    {
        var session = sso.Read(r.Http, r.Domain, r.Pool.Row.Id);
        if (session is null || r.Client is null) return null;
        return await db.Users.FirstOrDefaultAsync(u => u.Sub == session.Sub && u.UserPoolId == r.Pool.Row.Id && u.Enabled, r.Http.RequestAborted);
    }

    async Task<IResult> AddPage(HostedUiRequest r, UserRow user, string? error = null, string? info = null, int status = 200)
    {
        string? options = null;
        if (Auth.Passkeys.Passkeys.Enabled(r.Pool))
        {
            try
            {
                options = (await passkeys.StartRegistration(r.Pool, user, r.Client!.Row.ClientId, r.Http.RequestAborted)).GetRawText();
            }
            catch (CognitoException e)
            {
                log.LogInformation("Passkey registration not offered: {Type}", e.Type);
            }
        }
        var count = await db.WebAuthnCredentials.CountAsync(c => c.UserSub == user.Sub, r.Http.RequestAborted);
        return HostedPages.Render<AddPasskeyPage, AddPasskeyPageModel>(new AddPasskeyPageModel(pages.Page(r, error, null, info))
        {
            Options = options, Count = count,
        }, status);
    }
}
