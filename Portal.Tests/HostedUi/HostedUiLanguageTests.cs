using System.Net;
using System.Text.RegularExpressions;
using Portal.Client.Contract;

namespace Portal.Tests.HostedUi;

/// <summary>The hosted pages' errors and messages in the user's language (ui_locales, else Accept-Language), over HTTP
/// as a browser without JavaScript sends them (antiforgery cookie and field included).</summary>
public sealed partial class HostedUiTests
{
    /// <summary>A browser at the HTTP level: cookies kept, no redirects followed, one Accept-Language.</summary>
    sealed partial class Visitor(string acceptLanguage = "en") : IDisposable
    {
        readonly HttpClient http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

        public async Task<(HttpStatusCode Status, string Text, string Html)> Get(string url) =>
            await Send(new HttpRequestMessage(HttpMethod.Get, url));

        /// <summary>Opens the page, then posts its first form with the antiforgery field and <paramref name="fields"/>.</summary>
        public async Task<(HttpStatusCode Status, string Text, string Html)> Submit(string url, Dictionary<string, string> fields)
        {
            var (_, _, html) = await Get(url);
            var token = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value.StartsWith("__", StringComparison.Ordinal));
            Assert.True(token is not null, "the page has no antiforgery field");
            var form = new Dictionary<string, string>(fields) { [token!.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value) };
            return await Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) });
        }

        /// <summary>Posts the form of a page already shown (<paramref name="html"/>): its antiforgery field and hidden
        /// sign-in state, and <paramref name="fields"/>.</summary>
        public async Task<(HttpStatusCode Status, string Text, string Html)> Continue(string url, string html, Dictionary<string, string> fields)
        {
            var form = new Dictionary<string, string>(fields);
            foreach (Match hidden in HiddenInput().Matches(html)) form[hidden.Groups["name"].Value] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
            return await Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) });
        }

        public async Task<(HttpStatusCode Status, string Text, string Html)> Send(HttpRequestMessage request)
        {
            using (request)
            {
                request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
                using var response = await http.SendAsync(request);
                var html = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, Regex.Replace(WebUtility.HtmlDecode(html), "<[^>]+>", " "), html);
            }
        }

        [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
        private static partial Regex HiddenInput();

        public void Dispose() => http.Dispose();
    }

    string PageUrl(string page, string? uiLocales = null, string extra = "") =>
        $"{f.Server.BaseUrl}/{f.Domain}/{page}?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}" +
        (uiLocales is null ? "" : "&ui_locales=" + uiLocales) + extra;

    [Fact]
    public async Task A_wrong_password_is_said_in_the_users_language()
    {
        var email = await f.User();
        using var browser = new Visitor();
        var page = await browser.Submit(PageUrl("login", "de"), new() { ["username"] = email, ["password"] = "Wrong-Horse-1" });
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("Benutzername oder Passwort ist falsch.", page.Text);
        Assert.DoesNotContain("Incorrect username or password.", page.Text);
    }

    [Fact]
    public async Task The_password_policy_is_explained_in_the_users_language_on_sign_up()
    {
        using var browser = new Visitor("fr-FR,fr;q=0.9");
        var page = await browser.Submit(PageUrl("signup"), new() { ["username"] = $"fr-{Guid.NewGuid().ToString("n")[..8]}@example.com", ["password"] = "weak" });
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Matches("id=\"password-error\"[^>]*>Le mot de passe n(&#x27;|')est pas assez long<", page.Html);
    }

    [Fact]
    public async Task The_new_password_page_explains_the_policy_in_the_users_language()
    {
        var email = $"de-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await f.Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = f.PoolId, Username = email, TemporaryPassword = "Temp-Pass-12", MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        using var browser = new Visitor("de-DE,de;q=0.9");
        var page = await browser.Submit(PageUrl("login"), new() { ["username"] = email, ["password"] = "Temp-Pass-12" });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Sie müssen ein neues Passwort wählen, um fortzufahren.", page.Text);
        var refused = await browser.Continue(PageUrl("newPassword"), page.Html,
            new() { ["password"] = "only-lower-case-1", ["confirmPassword"] = "only-lower-case-1" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Matches("id=\"password-error\"[^>]*>Das Passwort muss Großbuchstaben enthalten<", WebUtility.HtmlDecode(refused.Html));
    }

    [Fact]
    public async Task A_wrong_confirmation_code_is_said_in_the_users_language()
    {
        var email = $"es-{Guid.NewGuid().ToString("n")[..8]}@example.com";
        await f.Cognito.Send(new SignUpRequest
        {
            ClientId = f.ClientId, Username = email, Password = "Brand-New-Pass-7", UserAttributes = [new() { Name = "email", Value = email }],
        });
        using var browser = new Visitor();
        var url = PageUrl("confirm", "es", "&username=" + Uri.EscapeDataString(email));
        var shown = await browser.Get(url);
        Assert.Contains("Introduzca el código", shown.Text);
        var page = await browser.Submit(url, new() { ["username"] = email, ["code"] = "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Contains("El código de verificación no es válido. Vuelva a intentarlo.", page.Text);
    }

    [Fact]
    public async Task Error_and_sign_out_pages_speak_the_users_language()
    {
        using var japanese = new Visitor("ja");
        var error = await japanese.Get($"{f.Server.BaseUrl}/{f.Domain}/error");
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("サインインを完了できませんでした。", error.Text);

        using var german = new Visitor("de");
        var signOut = await german.Get($"{f.Server.BaseUrl}/{f.Domain}/logout?client_id=no-such-client");
        Assert.Equal(HttpStatusCode.BadRequest, signOut.Status);
        Assert.Contains("Der Abmeldelink nennt eine App, die hier nicht bekannt ist (client_id).", signOut.Text);

        var provider = await german.Get(PageUrl("oauth2/authorize", "fr", "&identity_provider=NoSuchIdP"));
        Assert.Equal(HttpStatusCode.BadRequest, provider.Status);
        Assert.Contains("Le fournisseur de connexion NoSuchIdP n'est pas configuré pour cette application.", provider.Text);

        using var spanish = new Visitor("es");
        var unreadable = await spanish.Send(new HttpRequestMessage(HttpMethod.Post, PageUrl("login"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "a\0b" }),
        });
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.Status);
        Assert.Contains("No se pudo leer el formulario enviado.", unreadable.Text);
    }
}
