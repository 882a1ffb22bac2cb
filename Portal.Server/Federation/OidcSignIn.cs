using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Server.Auth;
using Portal.Server.HostedUi;
using Portal.Server.Outbound;
using Portal.Server.Storage;

namespace Portal.Server.Federation;

/// <summary>Sign-in through an OAuth 2.0 / OpenID Connect provider (OIDC, Google, Facebook, Login with Amazon,
/// Sign in with Apple): code flow with state, nonce and PKCE; the code exchanged at token_url, the ID token checked
/// against the provider's JWKS, userInfo read where the provider has no ID token or the type asks for it.</summary>
public sealed class OidcSignIn(
    FederationRequests requests, FederatedSignIn federated, IHttpClientFactory httpClients, Issuer issuer, TimeProvider clock)
{
    /// <summary>The idpresponse address the provider sends the user back to: Cognito's <c>/oauth2/idpresponse</c>,
    /// on the pool's own host for host-based domains, else once for the whole installation.</summary>
    public string IdpResponseUrl(HttpContext http)
    {
        if (HostDomains.Domain(http) is { } domain && HostDomains.Origin(http, domain, issuer.BaseUrl) is { } origin)
            return origin + "/oauth2/idpresponse";
        return issuer.BaseUrl + "/oauth2/idpresponse";
    }

    public IResult Start(HttpContext http, IdentityProviderRow provider, FederationRequest request)
    {
        var details = IdentityProviders.ProviderDetails(provider);
        var verifier = FederationRequest.RandomToken();
        var withOidc = provider.ProviderType is "OIDC" or "Google" or "SignInWithApple";
        request = request with
        {
            ProviderNonce = withOidc ? FederationRequest.RandomToken() : null,
            ProviderCodeVerifier = verifier,
            RedirectUriToProvider = IdpResponseUrl(http),
        };
        var scopes = (details.GetValueOrDefault("authorize_scopes") ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        // Apple posts the user back (form_post) whenever name or email are asked for.
        var formPost = provider.ProviderType == "SignInWithApple" && scopes.Length > 0;
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = details["client_id"], ["redirect_uri"] = request.RedirectUriToProvider,
            ["scope"] = string.Join(provider.ProviderType == "Facebook" ? "," : " ", scopes), ["state"] = requests.Bind(http, request, postBack: formPost),
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), ["code_challenge_method"] = "S256",
        };
        if (request.ProviderNonce is not null) query["nonce"] = request.ProviderNonce;
        if (request.LoginHint is not null) query["login_hint"] = request.LoginHint;
        if (formPost) query["response_mode"] = "form_post";
        return Results.Redirect(QueryHelpers.AddQueryString(details["authorize_url"], query));
    }

    /// <summary>The provider's answer at /oauth2/idpresponse.</summary>
    public async Task<IResult> Response(HttpContext http, FederationRequest request, IdentityProviderRow provider,
        IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        if (parameters.GetValueOrDefault("error") is { Length: > 0 } error)
        {
            var description = parameters.GetValueOrDefault("error_description");
            return await federated.Fail(http, request,
                error == "access_denied"
                    ? UserText.Of("OidcCancelled", provider.ProviderName)
                    : UserText.Of("OidcError", provider.ProviderName, error),
                $"{provider.ProviderName} answered error={error} {description}");
        }
        var code = parameters.GetValueOrDefault("code");
        if (string.IsNullOrEmpty(code))
            return await federated.Fail(http, request, UserText.Of("OidcNoCode", provider.ProviderName), "no code in idpresponse");

        var details = IdentityProviders.ProviderDetails(provider);
        JsonElement tokens;
        try
        {
            tokens = await ExchangeCode(provider, details, code, request, ct);
        }
        catch (ProviderException e)
        {
            return await federated.Fail(http, request, UserText.Of("OidcCodeRefused", provider.ProviderName), e.Message);
        }

        var attributes = new Dictionary<string, string>();
        string? idToken = tokens.TryGetProperty("id_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var accessToken = tokens.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var usesIdToken = provider.ProviderType is "OIDC" or "Google" or "SignInWithApple";
        try
        {
            if (usesIdToken)
            {
                if (idToken is null) throw new ProviderException("the token response has no id_token");
                foreach (var (k, v) in await ValidateIdToken(provider, details, idToken, request, ct)) attributes[k] = v;
            }
            var readUserInfo = provider.ProviderType is "Facebook" or "LoginWithAmazon"
                               || (provider.ProviderType == "OIDC" && details.ContainsKey("attributes_url"));
            if (readUserInfo)
            {
                if (accessToken is null) throw new ProviderException("the token response has no access_token");
                var userInfo = await UserInfo(provider, details, accessToken, ct);
                if (attributes.TryGetValue("sub", out var sub) && userInfo.TryGetValue("sub", out var infoSub) && sub != infoSub)
                    throw new ProviderException("userInfo names another subject than the ID token");
                foreach (var (k, v) in userInfo) attributes.TryAdd(k, v);
            }
        }
        catch (ProviderException e)
        {
            return await federated.Fail(http, request, UserText.Of("OidcUntrusted", provider.ProviderName), e.Message);
        }

        var mapping = IdentityProviders.AttributeMapping(provider);
        var subjectClaim = mapping.GetValueOrDefault("username") ?? OAuthProviderDetailsCheck.DefaultSubject(provider.ProviderType);
        var userId = attributes.GetValueOrDefault(subjectClaim) ?? attributes.GetValueOrDefault("sub") ?? "";
        if (provider.ProviderType == "OIDC" && !attributes.ContainsKey("iss")) attributes["iss"] = details.GetValueOrDefault("oidc_issuer") ?? "";
        if (provider.ProviderType != "OIDC") attributes.Remove("iss");   // Cognito writes issuer null for social providers
        return await federated.Complete(http, provider, userId, attributes, request, ct);
    }

    sealed class ProviderException(string message) : Exception(message);

    async Task<JsonElement> ExchangeCode(IdentityProviderRow provider, Dictionary<string, string> details, string code,
        FederationRequest request, CancellationToken ct)
    {
        var secret = provider.ProviderType == "SignInWithApple" ? AppleClientSecret.Create(details, clock.GetUtcNow()) : details["client_secret"];
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = request.RedirectUriToProvider!,
            ["client_id"] = details["client_id"], ["client_secret"] = secret,
        };
        if (request.ProviderCodeVerifier is not null) form["code_verifier"] = request.ProviderCodeVerifier;
        using var client = httpClients.CreateClient(FederationSetup.HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(15);
        try
        {
            HttpResponseMessage response;
            if (details.GetValueOrDefault("token_request_method") == "GET")
                response = await client.GetAsync(QueryHelpers.AddQueryString(details["token_url"], form!), ct);
            else
            {
                response = await client.PostAsync(details["token_url"], new FormUrlEncodedContent(form), ct);
                if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                {
                    // The provider wants client_secret_basic: the same request with the credentials in the header.
                    form.Remove("client_secret");
                    using var basic = new HttpRequestMessage(HttpMethod.Post, details["token_url"]) { Content = new FormUrlEncodedContent(form) };
                    basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                        $"{Uri.EscapeDataString(details["client_id"])}:{Uri.EscapeDataString(secret)}")));
                    response = await client.SendAsync(basic, ct);
                }
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    var oauthError = TryError(body);
                    throw new ProviderException($"token endpoint answered {(int)response.StatusCode} {oauthError}");
                }
                return JsonDocument.Parse(body).RootElement.Clone();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new ProviderException($"token endpoint unreachable or unreadable: {(e is HttpRequestException ? OutboundAddresses.Reason(e) : e.GetType().Name)}");
        }
    }

    static string TryError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) ? e.ToString() : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    async Task<Dictionary<string, string>> ValidateIdToken(IdentityProviderRow provider, Dictionary<string, string> details, string idToken,
        FederationRequest request, CancellationToken ct)
    {
        if (!details.TryGetValue("jwks_uri", out var jwksUri)) throw new ProviderException("the provider has no jwks_uri");
        JsonWebKeySet keys;
        try
        {
            using var client = httpClients.CreateClient(FederationSetup.HttpClientName);
            client.Timeout = TimeSpan.FromSeconds(15);
            keys = new JsonWebKeySet(await client.GetStringAsync(jwksUri, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            throw new ProviderException($"JWKS unreachable or unreadable: {(e is HttpRequestException ? OutboundAddresses.Reason(e) : e.GetType().Name)}");
        }
        var issuers = new List<string>();
        if (details.GetValueOrDefault("oidc_issuer") is { Length: > 0 } iss) issuers.Add(iss);
        if (provider.ProviderType == "Google" && issuers.Contains("https://accounts.google.com")) issuers.Add("accounts.google.com");
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuers = issuers, ValidateIssuer = issuers.Count > 0, ValidAudience = details["client_id"], ValidateAudience = true,
            IssuerSigningKeys = keys.GetSigningKeys(), ValidateIssuerSigningKey = true, RequireSignedTokens = true,
            ValidateLifetime = true, RequireExpirationTime = true, ClockSkew = TimeSpan.FromMinutes(2),
            LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now + p.ClockSkew) && expires is not null && expires > now - p.ClockSkew;
            },
        });
        if (!result.IsValid)
            throw new ProviderException($"ID token refused: {result.Exception?.GetType().Name} {result.Exception?.Message.Split('.')[0]}");
        var token = (JsonWebToken)result.SecurityToken;
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        var claims = FederatedSignIn.Claims(payload.RootElement);
        if (request.ProviderNonce is not null && claims.GetValueOrDefault("nonce") != request.ProviderNonce)
            throw new ProviderException("ID token nonce does not match the one sent");
        return claims;
    }

    async Task<Dictionary<string, string>> UserInfo(IdentityProviderRow provider, Dictionary<string, string> details, string accessToken,
        CancellationToken ct)
    {
        var url = details["attributes_url"];
        if (details.GetValueOrDefault("attributes_url_add_attributes") == "true")
        {
            // Facebook and Google take the fields to return in the URL.
            var fields = IdentityProviders.AttributeMapping(provider).Values.Append(OAuthProviderDetailsCheck.DefaultSubject(provider.ProviderType))
                .Distinct();
            url += string.Join(",", fields);
        }
        using var client = httpClients.CreateClient(FederationSetup.HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(15);
        using var message = details.GetValueOrDefault("attributes_request_method") == "POST"
            ? new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([]) }
            : new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await client.SendAsync(message, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new ProviderException($"userInfo answered {(int)response.StatusCode}");
            using var doc = JsonDocument.Parse(body);
            return FederatedSignIn.Claims(doc.RootElement);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new ProviderException($"userInfo unreachable or unreadable: {(e is HttpRequestException ? OutboundAddresses.Reason(e) : e.GetType().Name)}");
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
