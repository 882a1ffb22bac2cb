namespace Portal.Tests.Testing;

/// <summary>Issue 21, locators: a suite pins the hosted pages' language with managed login's <c>lang</c> parameter,
/// whatever the browser's Accept-Language and ui_locales say, and it stays pinned from page to page.</summary>
[Collection(TestingCollection.Name)]
public sealed class LangTests(TestingServer server)
{
    [Fact]
    public async Task Lang_fixes_the_language_of_the_sign_in_and_the_pages_it_links_to()
    {
        var domain = "lang-" + Guid.NewGuid().ToString("n")[..8];
        var (_, clientId) = await server.Pool(domain);
        var query = $"client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString("https://app.example/callback")}"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR,fr;q=0.9");

        async Task<string> Page(string path)
        {
            using var response = await http.GetAsync($"{server.BaseUrl}/{domain}/{path}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {html}");
            // Razor writes accented letters as character references.
            return System.Net.WebUtility.HtmlDecode(html);
        }

        Assert.Contains("Connectez-vous à votre compte", await Page($"login?{query}"));
        var german = await Page($"login?{query}&ui_locales=es&lang=de");
        Assert.Contains("Bei Ihrem Konto anmelden", german);
        Assert.Contains("lang=de", german);   // the links to the other pages carry it
        Assert.Contains("Konto erstellen", await Page($"signup?{query}&lang=de"));
        Assert.Contains("Passwort vergessen?", await Page($"forgotPassword?{query}&lang=de"));
        // An unknown language falls back to ui_locales, then Accept-Language.
        Assert.Contains("Inicie sesión en su cuenta", await Page($"login?{query}&ui_locales=es&lang=xx"));
        Assert.Contains("Connectez-vous à votre compte", await Page($"login?{query}&lang=xx"));
    }
}
