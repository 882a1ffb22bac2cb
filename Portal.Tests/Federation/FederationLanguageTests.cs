using System.Net;

namespace Portal.Tests.Federation;

/// <summary>The federation pages in the user's language: the provider buttons, a refused federated sign-in (in the
/// language the sign-in asked for, even on the provider's way back), and answers to requests that name no sign-in.</summary>
[Collection(OidcCollection.Name)]
public sealed class FederationLanguageTests(OidcFixture f)
{
    static string Text(string html) => HttpUser.Text(html);

    static async Task<(HttpStatusCode Status, string Body)> Get(string url, string acceptLanguage)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_login_page_offers_the_providers_in_the_users_language()
    {
        using var user = f.NewUser();
        var login = await user.Follow(await user.Get(f.AuthorizeUrl(provider: null) + "&ui_locales=de"));
        Assert.Equal(HttpStatusCode.OK, login.Status);
        var text = Text(login.Body);
        Assert.Contains("Weiter mit CorpIdP", text);
        Assert.Contains("Bei Ihrem Konto anmelden", text);
        Assert.DoesNotContain("Continue with", text);
    }

    [Fact]
    public async Task A_provider_the_client_does_not_offer_is_refused_in_the_users_language()
    {
        var cognitoOnly = await f.Client(["COGNITO"]);
        using var user = f.NewUser();
        var step = await user.Follow(await user.Get(f.AuthorizeUrl("CorpIdP", clientId: cognitoOnly) + "&ui_locales=fr"));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Contains("Le fournisseur de connexion CorpIdP n'est pas activé pour cette application.", Text(step.Body));
    }

    [Fact]
    public async Task A_provider_the_pool_does_not_have_is_refused_in_the_users_language()
    {
        using var user = f.NewUser();
        var step = await user.Follow(await user.Get(f.AuthorizeUrl("NoSuchIdP") + "&ui_locales=es"));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.Contains("El proveedor de inicio de sesión NoSuchIdP no está configurado para esta aplicación.", Text(step.Body));
    }

    [Fact]
    public async Task A_sign_in_cancelled_at_the_provider_is_explained_in_the_language_the_sign_in_asked_for()
    {
        using var user = f.NewUser();
        // ui_locales is on the app's authorize request only: the provider's way back to Portal does not carry it.
        var toIdp = await user.Follow(await user.Get(f.AuthorizeUrl("CorpIdP") + "&ui_locales=ja"), u => u.Port == f.Idp.Port);
        var login = await user.Follow(await user.Get(toIdp.Location!.ToString()));
        var step = await user.Follow(await user.Get(login.Url.ToString().TrimEnd('/') + "/abort"));
        Assert.Equal(HttpStatusCode.BadRequest, step.Status);
        Assert.DoesNotContain("ui_locales", step.Url.ToString());
        var text = Text(step.Body);
        Assert.Contains("CorpIdP でのサインインはキャンセルまたは拒否されました。", text);
        Assert.Contains("lang=\"ja\"", step.Body);
    }

    [Fact]
    public async Task Answers_to_no_sign_in_speak_the_browsers_language()
    {
        var onDomain = await Get($"{f.Server.BaseUrl}/{f.Domain}/oauth2/idpresponse?code=c&state=not-a-state", "es-ES,es;q=0.9");
        Assert.Equal(HttpStatusCode.BadRequest, onDomain.Status);
        Assert.Contains("No se pudo completar este inicio de sesión: caducó, ya se usó o se modificó por el camino.", Text(onDomain.Body));

        var noDomain = await Get($"{f.Server.BaseUrl}/oauth2/idpresponse?code=c&state=not-a-state", "de");
        Assert.Equal(HttpStatusCode.BadRequest, noDomain.Status);
        Assert.Equal("Diese Anmeldung konnte nicht abgeschlossen werden: Sie ist abgelaufen oder wurde bereits verwendet. Beginnen Sie erneut in der App.", noDomain.Body);

        using var http = new HttpClient();
        using var saml = new HttpRequestMessage(HttpMethod.Post, $"{f.Server.BaseUrl}/{f.Domain}/saml2/idpresponse") { Content = new StringContent("{}") };
        saml.Headers.AcceptLanguage.ParseAdd("fr");
        using var samlResponse = await http.SendAsync(saml);
        Assert.Equal(HttpStatusCode.BadRequest, samlResponse.StatusCode);
        Assert.Contains("Cette adresse ne reçoit que les réponses des fournisseurs de connexion SAML.", Text(await samlResponse.Content.ReadAsStringAsync()));

        var signOut = await Get($"{f.Server.BaseUrl}/{f.Domain}/saml2/logout", "ja");
        Assert.Equal(HttpStatusCode.BadRequest, signOut.Status);
        Assert.Contains("サインアウトしました。", Text(signOut.Body));
        Assert.Contains("このサインアウトを完了できませんでした。有効期限が切れたか、途中で変更されました。このアプリからはサインアウトしています。", Text(signOut.Body));
    }
}
