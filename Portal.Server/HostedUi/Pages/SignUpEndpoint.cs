using System.Diagnostics.CodeAnalysis;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi.Pages;

/// <summary>What the sign-up page renders: the username (or email) field, the pool's required attributes, the password.</summary>
public sealed record SignUpPageModel : PageModel
{
    [SetsRequiredMembers]
    public SignUpPageModel(PageModel page) : base(page) { }

    public bool AskUsername { get; init; } = true;
    public string UsernameLabel { get; init; } = "";
    public string Username { get; init; } = "";
    public IReadOnlyList<SignUpAttribute> Attributes { get; init; } = [];
    /// <summary>What the user typed into the attribute fields, by attribute name.</summary>
    public IReadOnlyDictionary<string, string> AttributeValues { get; init; } = new Dictionary<string, string>();

    /// <summary>The client's terms documents in the page's language (CreateTerms), when it has both kinds.</summary>
    public (string TermsOfUse, string PrivacyPolicy)? TermsLinks { get; init; }

    public string AttributeValue(string name) => AttributeValues.GetValueOrDefault(name, "");
}

/// <summary><c>/signup</c>: SignUp through the dispatcher, as an app calls it.</summary>
public sealed class SignUpEndpoint(HostedPages pages, Dispatcher cognito, LoginEndpoint login, Terms terms)
{
    public async Task<IResult> Show(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain);
        if (r is null) return problem!;
        if (r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
            return pages.Problem(r, r.Texts["SignUpNotAllowed"], 403);
        return await Page(r);
    }

    public async Task<IResult> Submit(HttpContext http, string domain)
    {
        var (r, problem) = await pages.Resolve(http, domain, form: true);
        if (r is null) return problem!;
        if (r.Pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
            return pages.Problem(r, r.Texts["SignUpNotAllowed"], 403);
        var username = HostedPages.Form(http, "username");
        var attributes = Attributes(r).ToDictionary(a => a.Name, a => HostedPages.Form(http, a.Name));
        if (!await pages.ValidForm(r)) return await Page(r, r.Texts["FormExpired"], username, attributes, status: 400);
        var password = HostedPages.Password(http, "password");
        var missing = attributes.Where(a => a.Value.Length == 0)
            .ToDictionary(a => a.Key, a => HostedPages.Required(r.Texts, SignUpAttribute.For(a.Key, r.Texts).Label));
        if (username.Length == 0) missing["username"] = HostedPages.Required(r.Texts, UsernameLabel(r));
        if (password.Length == 0) missing["password"] = HostedPages.Required(r.Texts, r.Texts["Password"]);
        if (missing.Count > 0) return await Page(r, null, username, attributes, missing, 400);
        try
        {
            var result = await cognito.Send(new SignUpRequest
            {
                ClientId = r.Client!.Row.ClientId, Username = username, Password = password, SecretHash = HostedPages.SecretHash(r, username),
                UserAttributes = attributes.Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList(),
            }, http.RequestAborted);
            if (result.UserConfirmed == true)
                return await login.Page(r, info: r.Texts["Confirmed"], username: username);
            return Results.Redirect($"{r.BasePath}/confirm{HostedPages.QueryWith(r, ("username", username), ("destination", result.CodeDeliveryDetails?.Destination ?? ""))}");
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
                _ => EngineMessages.Say(e, r.Texts),
            };
            return field is null
                ? await Page(r, message, username, attributes, status: 400)
                : await Page(r, null, username, attributes, new Dictionary<string, string> { [field] = message }, 400);
        }
    }

    async Task<IResult> Page(HostedUiRequest r, string? error = null, string username = "", IReadOnlyDictionary<string, string>? attributeValues = null,
        IReadOnlyDictionary<string, string>? fieldErrors = null, int status = 200) =>
        HostedPages.Render<SignUpPage, SignUpPageModel>(new SignUpPageModel(pages.Page(r, error, fieldErrors))
        {
            TermsLinks = r.Client is null ? null : await terms.ForSignUp(r.Client.Row.ClientId, r.Texts.Locale, CancellationToken.None),
            AskUsername = true,
            UsernameLabel = UsernameLabel(r),
            Username = username,
            Attributes = Attributes(r),
            AttributeValues = attributeValues ?? new Dictionary<string, string>(),
        }, status);

    static bool UsesEmailAsUsername(HostedUiRequest r) => r.Pool.Settings.UsernameAttributes?.Contains("email") == true;

    static string UsernameLabel(HostedUiRequest r) => UsesEmailAsUsername(r) ? r.Texts["Email"] : r.Texts["UsernameLabel"];

    /// <summary>The attributes sign-up asks for: the pool's required ones, and the email when it is verified or an alias.</summary>
    static List<SignUpAttribute> Attributes(HostedUiRequest r)
    {
        var names = (r.Pool.Settings.SchemaAttributes ?? []).Where(a => a.Required == true && a.Name != "sub").Select(a => a.Name!).ToList();
        if ((r.Pool.Settings.AutoVerifiedAttributes?.Contains("email") == true || r.Pool.Settings.AliasAttributes?.Contains("email") == true)
            && !names.Contains("email")) names.Insert(0, "email");
        if (UsesEmailAsUsername(r)) names.Remove("email");
        return names.Select(n => SignUpAttribute.For(n, r.Texts)).ToList();
    }
}
