using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Tests.HostedUi;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>A Portal with a pool, a hosted-UI domain and two providers backed by a real OpenID provider (npm oidc-provider):
/// "CorpIdP" of type OIDC (discovered from its issuer, claiming the corp.example email domain) and "Google" of type Google
/// whose endpoints are overridden to the same provider. Apps: a sample ASP.NET Core OIDC app (browser tests) and a
/// confidential client whose callback is never followed (HTTP-level tests).</summary>
public sealed class OidcFixture : IAsyncLifetime
{
    public PortalServer Server { get; } = new();
    public OidcIdp Idp { get; private set; } = null!;
    public ICognito Cognito => Server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();
    public string PoolId { get; private set; } = "";
    public string Domain { get; } = "fed-" + Guid.NewGuid().ToString("n")[..8];
    public SampleOidcApp App { get; private set; } = null!;
    public string AppClientId { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public string ClientSecret { get; private set; } = "";
    public const string Callback = "http://localhost/federation-cb";
    public string IdpResponseUrl => Server.BaseUrl + "/oauth2/idpresponse";
    public static readonly List<string> Providers = ["COGNITO", "CorpIdP", "Google"];

    public async Task InitializeAsync()
    {
        Idp = await OidcIdp.Start([IdpResponseUrl]);
        var pool = await Cognito.Send(new CreateUserPoolRequest { PoolName = "federation", AliasAttributes = ["email"] });
        PoolId = pool.UserPool!.Id!;
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = PoolId, Domain = Domain });
        await Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = PoolId, ProviderName = "CorpIdP", ProviderType = "OIDC", IdpIdentifiers = ["corp.example"],
            ProviderDetails = new()
            {
                ["client_id"] = Idp.ClientId, ["client_secret"] = Idp.ClientSecret, ["attributes_request_method"] = "GET",
                ["oidc_issuer"] = Idp.Issuer, ["authorize_scopes"] = "openid email profile",
            },
            AttributeMapping = new()
            {
                ["email"] = "email", ["email_verified"] = "email_verified", ["given_name"] = "given_name", ["family_name"] = "family_name",
                ["name"] = "name",
            },
        });
        await Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = PoolId, ProviderName = "Google", ProviderType = "Google",
            ProviderDetails = GoogleDetails(Idp),
            AttributeMapping = new() { ["email"] = "email", ["name"] = "name" },
        });

        var app = await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientName = "sample-app", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = Providers, CallbackURLs = ["http://localhost/placeholder"],
        });
        AppClientId = app.UserPoolClient!.ClientId!;
        App = await SampleOidcApp.Start($"{Server.BaseUrl}/{PoolId}", AppClientId, null, $"{Server.BaseUrl}/{Domain}/logout");
        await Cognito.Send(new UpdateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientId = AppClientId, ClientName = "sample-app", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = Providers,
            CallbackURLs = [App.CallbackUrl], LogoutURLs = [App.SignedOutUrl],
        });

        var http = await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientName = "http-client", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = Providers, CallbackURLs = [Callback],
        });
        (ClientId, ClientSecret) = (http.UserPoolClient!.ClientId!, http.UserPoolClient.ClientSecret!);
    }

    /// <summary>A "Google" provider whose endpoints are the test provider's: the stand-in for a social provider.</summary>
    public static Dictionary<string, string> GoogleDetails(OidcIdp idp) => new()
    {
        ["client_id"] = idp.ClientId, ["client_secret"] = idp.ClientSecret, ["authorize_scopes"] = "openid email profile",
        ["authorize_url"] = idp.Issuer + "/auth", ["token_url"] = idp.Issuer + "/token", ["jwks_uri"] = idp.Issuer + "/jwks",
        ["oidc_issuer"] = idp.Issuer, ["attributes_url"] = idp.Issuer + "/me",
    };

    /// <summary>The authorize URL of the confidential client, straight to a provider when one is named.</summary>
    public string AuthorizeUrl(string? provider = "CorpIdP", string? idpIdentifier = null, string state = "app-state", string? clientId = null)
    {
        var url = $"{Server.BaseUrl}/{Domain}/oauth2/authorize?client_id={clientId ?? ClientId}&response_type=code&scope=openid+email+profile" +
                  $"&redirect_uri={Uri.EscapeDataString(Callback)}&state={state}&nonce=app-nonce";
        if (provider is not null) url += "&identity_provider=" + provider;
        if (idpIdentifier is not null) url += "&idp_identifier=" + Uri.EscapeDataString(idpIdentifier);
        return url;
    }

    public HttpUser NewUser() => new(this);

    /// <summary>Another confidential client of the pool offering these providers, with the same callback.</summary>
    public async Task<string> Client(params List<string> providers) =>
        (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = PoolId, ClientName = "client-" + Guid.NewGuid().ToString("n")[..6], GenerateSecret = true, AllowedOAuthFlows = ["code"],
            AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = providers,
            CallbackURLs = [Callback],
        })).UserPoolClient!.ClientId!;

    /// <summary>Tokens for the confidential client's code.</summary>
    public async Task<JsonElement> Redeem(string code)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.BaseUrl}/{Domain}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Idp.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OidcCollection : ICollectionFixture<OidcFixture>
{
    public const string Name = "oidc";
}

/// <summary>A user agent at the HTTP level: cookies kept, redirects followed one by one so a test can stop or change them.</summary>
public sealed class HttpUser(OidcFixture f) : IDisposable
{
    readonly CookieContainer cookies = new();
    HttpClient? client;
    HttpClient Client => client ??= new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });

    public record Step(HttpStatusCode Status, Uri Url, Uri? Location, string Body, string? ContentSecurityPolicy = null);

    public async Task<Step> Get(string url) => await Send(new HttpRequestMessage(HttpMethod.Get, url));

    public async Task<Step> Post(string url, Dictionary<string, string> form) =>
        await Send(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) });

    async Task<Step> Send(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Client.SendAsync(request))
        {
            var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(request.RequestUri!, l)) : null;
            var csp = response.Headers.TryGetValues("Content-Security-Policy", out var v) ? string.Join(";", v) : null;
            return new Step(response.StatusCode, request.RequestUri!, location, await response.Content.ReadAsStringAsync(), csp);
        }
    }

    /// <summary>Follows redirects until a page is shown, the app's callback is reached, or <paramref name="stop"/> says so.</summary>
    public async Task<Step> Follow(Step step, Func<Uri, bool>? stop = null)
    {
        for (var i = 0; i < 20 && step.Location is { } next; i++)
        {
            if (next.ToString().StartsWith(OidcFixture.Callback, StringComparison.Ordinal) || stop?.Invoke(next) == true) return step;
            step = await Get(next.ToString());
        }
        return step;
    }

    /// <summary>From the app's authorize URL through the provider's login (as <paramref name="login"/>) back to Portal, and
    /// on to the app's callback or Portal's error page. <paramref name="toIdp"/> may change the request sent to the provider.</summary>
    public async Task<Step> SignIn(string authorizeUrl, string login, Func<Uri, Uri>? toIdp = null, string? stopAt = null)
    {
        var step = await Follow(await Get(authorizeUrl), u => u.Port == f.Idp.Port);
        Assert.NotNull(step.Location);
        var idpAuthorize = toIdp?.Invoke(step.Location!) ?? step.Location!;
        var page = await Follow(await Get(idpAuthorize.ToString()));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("name=\"login\"", page.Body);
        return await Follow(await Post(page.Url.ToString(), new() { ["prompt"] = "login", ["login"] = login, ["password"] = "any" }),
            stopAt is null ? null : u => u.ToString().StartsWith(stopAt, StringComparison.Ordinal));
    }

    public static string? Query(Uri? url, string name) =>
        url is null ? null : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).TryGetValue(name, out var v) ? v.ToString() : null;

    public static string Text(string html) => Regex.Replace(WebUtility.HtmlDecode(html), "<[^>]+>", " ");

    public void Dispose() => client?.Dispose();
}
