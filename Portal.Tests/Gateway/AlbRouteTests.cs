using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Gateway;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>
/// The Node backend written for ALB (compat/gateway/alb-backend.mjs: aws-jwt-verify's AlbJwtVerifier, unchanged but for the
/// key URL), started by the test. It is ready when it prints "listening"; its standard error is collected as it comes
/// (and shown when it fails to start), never awaited to its end while it runs.
/// </summary>
/// <remarks>The first version of these tests hung in InitializeAsync: the message of
/// <c>Assert.True(first == "listening", $"… {await node.StandardError.ReadToEndAsync()}")</c> is an interpolated string that
/// is evaluated before Assert.True is called, so the fixture awaited the end of the backend's standard error, which comes
/// only when the backend exits — never, for a server.</remarks>
public sealed class AlbNodeBackend : IAsyncDisposable
{
    readonly Process node;
    readonly StringBuilder errors = new();
    readonly TaskCompletionSource<bool> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port { get; } = PortalServer.FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    AlbNodeBackend(params string[] args)
    {
        node = new Process
        {
            StartInfo = new ProcessStartInfo("node", ["alb-backend.mjs", Port.ToString(CultureInfo.InvariantCulture), .. args])
            {
                WorkingDirectory = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "gateway"),
                RedirectStandardOutput = true, RedirectStandardError = true,
            },
            EnableRaisingEvents = true,
        };
        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "listening") ready.TrySetResult(true);
        };
        node.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.AppendLine(e.Data);
        };
        // The backend exiting before it listens (a missing module, a bad argument) ends the wait too.
        node.Exited += (_, _) => ready.TrySetResult(false);
    }

    public static async Task<AlbNodeBackend> Start(params string[] args)
    {
        var backend = new AlbNodeBackend(args);
        backend.node.Start();
        backend.node.BeginOutputReadLine();
        backend.node.BeginErrorReadLine();
        if (!await backend.ready.Task)
        {
            await backend.node.WaitForExitAsync();
            string why;
            lock (backend.errors) why = backend.errors.ToString();
            Assert.Fail($"The Node ALB backend exited with {backend.node.ExitCode} before listening: {why}");
        }
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        if (!node.HasExited)
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
        node.Dispose();
    }
}

/// <summary>A backend written for ALB (Node, aws-jwt-verify's AlbJwtVerifier) behind Alb routes: chromium signs in through
/// the pool's hosted UI and lands back where it started; the backend verifies x-amzn-oidc-data with the key it fetches
/// from Portal's published URL and shows who called; deny/allow/authenticate, tampered cookies, sign-out as ALB documents
/// it, the access token renewed with the refresh token, and the session timeout.</summary>
public sealed class AlbRouteTests(PortalServer server) : IClassFixture<PortalServer>, IAsyncLifetime
{
    const string Signer = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/notes/0123456789abcdef";
    const string Password = "Correct-Horse-9";
    readonly Browser browser = new();
    AlbNodeBackend? backend;
    string poolId = "", clientId = "", domain = "";

    Dispatcher Cognito => server.Services.GetRequiredService<Dispatcher>();

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        var pool = await Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = "alb", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", Required = true }],
        });
        poolId = pool.UserPool!.Id!;
        domain = "alb-" + Guid.NewGuid().ToString("n")[..8];
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
        clientId = (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "alb", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = [$"{server.BaseUrl}/alb-notes/oauth2/idpresponse", $"{server.BaseUrl}/alb-deny/oauth2/idpresponse", $"{server.BaseUrl}/alb-allow/oauth2/idpresponse"],
            LogoutURLs = [$"{server.BaseUrl}/alb-allow/signed-out"],
        })).UserPoolClient!.ClientId!;

        var logout = $"{server.BaseUrl}/{domain}/logout?client_id={clientId}&logout_uri={Uri.EscapeDataString($"{server.BaseUrl}/alb-allow/signed-out")}";
        backend = await AlbNodeBackend.Start(Signer, $"{server.BaseUrl}/{poolId}", clientId, $"{server.BaseUrl}/gateway/alb-keys", logout);

        foreach (var (id, mode) in new[] { ("alb-notes", "authenticate"), ("alb-deny", "deny"), ("alb-allow", "allow") })
            await Cognito.Send(new PutGatewayRouteRequest
            {
                Route = new GatewayRouteType
                {
                    Id = id, Kind = GatewayRouteKinds.Alb, PathPrefix = "/" + id, Backend = backend.BaseUrl,
                    Settings = new()
                    {
                        ["UserPoolId"] = poolId, ["ClientId"] = clientId, ["Scope"] = "openid email", ["OnUnauthenticatedRequest"] = mode,
                        ["LoadBalancerArn"] = Signer,
                    },
                },
            });
    }

    public async Task DisposeAsync()
    {
        if (backend is not null) await backend.DisposeAsync();
        await browser.DisposeAsync();
    }

    async Task<string> NewUser()
    {
        var email = PortalServer.Unique("alb") + "@example.com";
        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = email, Password = Password, Permanent = true });
        return email;
    }

    /// <summary>Opens a URL behind the authenticate route, signs in at the hosted UI and waits to land back on it.</summary>
    async Task<IPage> SignedIn(string email, string url)
    {
        var page = await browser.NewPage();
        await page.GotoAsync(url);
        Assert.Contains($"/{domain}/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            // Signing in hashes a password and takes three redirects: on a loaded 2-core machine that can take a while.
            // Landed means the page's URL is exactly the one asked for, read again and again, and the backend's answer
            // is on it. Not WaitForURLAsync: CI twice timed out in it with the browser at that URL showing the answer
            // (the navigation it waits for had been missed), with the load event and with commit alike.
            await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 90_000 });
            await page.Locator("#answer").WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            Assert.Fail($"Signing in did not land back on {url}: the browser is at {page.Url} showing {await page.Locator("body").InnerTextAsync()}");
        }
        return page;
    }

    /// <summary>What the backend answered for the page the browser shows.</summary>
    static async Task<JsonElement> Answer(IPage page) => JsonDocument.Parse(await page.Locator("#answer").InnerTextAsync()).RootElement;

    /// <summary>The browser's cookies for a route, as a Cookie header.</summary>
    static async Task<string> CookieHeader(IPage page, string url) =>
        string.Join("; ", (await page.Context.CookiesAsync([url])).Select(c => $"{c.Name}={c.Value}"));

    static HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    static async Task<HttpResponseMessage> Get(HttpClient http, string url, string? cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookies is not null) request.Headers.TryAddWithoutValidation("Cookie", cookies);
        return await http.SendAsync(request);
    }

    static byte[] FromPaddedBase64Url(string segment)
    {
        Assert.Equal(0, segment.Length % 4);
        return Convert.FromBase64String(segment.Replace('-', '+').Replace('_', '/'));
    }

    [Fact]
    public async Task A_browser_signs_in_through_the_hosted_UI_and_the_ALB_backend_verifies_who_it_is()
    {
        var email = await NewUser();
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-notes/hello?x=1");

        // The page the browser sees is the backend's, with the claims it verified with Portal's published key.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Signed in as {email}" })).ToBeVisibleAsync();
        var answer = await Answer(page);
        Assert.True(answer.GetProperty("verified").GetBoolean(), answer.ToString());
        Assert.Equal(email, answer.GetProperty("claims").GetProperty("email").GetString());
        var sub = answer.GetProperty("identity").GetString();
        Assert.Equal(sub, answer.GetProperty("claims").GetProperty("sub").GetString());
        Assert.True(answer.GetProperty("hasAccessToken").GetBoolean());
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "AWSELBAuthSessionCookie-0" && c.HttpOnly && c.Path == "/alb-notes");

        // x-amzn-oidc-data as ALB writes it: every segment base64url with its padding, ALB's header fields.
        var data = answer.GetProperty("data").GetString()!.Split('.');
        Assert.Equal(3, data.Length);
        Assert.Contains(data, s => s.EndsWith('='));
        var header = JsonDocument.Parse(FromPaddedBase64Url(data[0])).RootElement;
        Assert.Equal(["alg", "kid", "signer", "iss", "client", "exp"], header.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.True(Guid.TryParse(header.GetProperty("kid").GetString(), out _));
        Assert.Equal(Signer, header.GetProperty("signer").GetString());
        Assert.Equal($"{server.BaseUrl}/{poolId}", header.GetProperty("iss").GetString());
        Assert.Equal(clientId, header.GetProperty("client").GetString());
        Assert.Equal(JsonValueKind.Number, header.GetProperty("exp").ValueKind);
        Assert.Equal(64, FromPaddedBase64Url(data[2]).Length);

        // The session stays: the next request goes straight through. The application's own cookies reach the backend,
        // the route's session cookies do not.
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "app-theme", Value = "dark", Url = server.BaseUrl + "/alb-notes" }]);
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/again");
        answer = await Answer(page);
        Assert.True(answer.GetProperty("verified").GetBoolean());
        var forwarded = answer.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Contains("app-theme", forwarded);
        Assert.DoesNotContain(forwarded, c => c.StartsWith("AWSELBAuth", StringComparison.Ordinal));

        // The decision log names the user, the route and what decided.
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var decisions = (await Cognito.Send(new ListGatewayDecisionsRequest { RouteId = "alb-notes", Caller = sub })).Decisions!;
        Assert.Contains(decisions, d => d is { Decision: "Allow", Kind: "Alb", Policy: "authenticate-cognito", Statement: "signed in through the hosted UI" });
        Assert.Contains(decisions, d => d is { Decision: "Allow", Statement: "session", Action: "GET /alb-notes/again" });
    }

    [Fact]
    public async Task The_gateway_page_shows_the_ALB_routes_settings_in_the_route_editor_and_its_decisions()
    {
        using (var http = NoRedirects())
        using (await Get(http, $"{server.BaseUrl}/alb-deny/page-check", null)) { }
        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();

        // As the gateway page's own audit (GatewayPortalTests): a 1440-wide window, axe injected in every page.
        var page = await browser.NewPage(1440, 900);
        await PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(global::Portal.Tests.Portal.PortalAxeTests.AxeScript.Value);
        // Clicks before the interactive circuit would land on the prerendered HTML and be lost.
        await global::Portal.Tests.Portal.ScenarioPortal.Go(page, $"{server.BaseUrl}/gateway");
        await global::Portal.Tests.Portal.ScenarioPortal.Settled(page);
        await Assertions.Expect(page.GetByTestId("authorizer-alb-notes")).ToHaveTextAsync($"authenticate-cognito: {poolId} / {clientId}, authenticate");
        await Assertions.Expect(page.GetByTestId("authorizer-alb-deny")).ToHaveTextAsync($"authenticate-cognito: {poolId} / {clientId}, deny");
        await page.GetByTestId("edit-alb-notes").ClickAsync();
        var editor = page.GetByTestId("route-editor");
        await Assertions.Expect(editor).ToBeVisibleAsync();
        // MudTextField puts the test id on the input itself (or on its wrapper in older versions).
        ILocator Field(string testId, string tag) => page.Locator($"{tag}[data-testid='{testId}'], [data-testid='{testId}'] {tag}").First;
        async Task Shows(string key, string value) => await Assertions.Expect(Field($"setting-{key}", "input")).ToHaveValueAsync(value);
        await Shows("UserPoolId", poolId);
        await Shows("ClientId", clientId);
        await Shows("Scope", "openid email");
        await Shows("OnUnauthenticatedRequest", "authenticate");
        await Shows("LoadBalancerArn", Signer);
        // Every setting of the route has its own field: none is left to the free-form lines.
        await Assertions.Expect(Field("route-other-settings", "textarea")).ToHaveValueAsync("");
        await page.AnimationsDone();
        var violations = (await global::Portal.Tests.Portal.PortalAxeTests.Serious(page)).Select(v => $"route editor: {v}").ToList();
        // From the top, so that the fixed app bar stays at the top of the full-page picture.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalServer.RepositoryRoot, "docs", "screenshots", "portal-gateway-alb-route.png"), FullPage = true });

        // The decision log lists the ALB route's refusals with what decided them.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Decisions" }).ClickAsync();
        await Assertions.Expect(page.GetByText("GET /alb-deny/page-check").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("no session; on-unauthenticated-request deny").First).ToBeVisibleAsync();
        await page.AnimationsDone();
        violations.AddRange((await global::Portal.Tests.Portal.PortalAxeTests.Serious(page)).Select(v => $"decisions: {v}"));
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public async Task Deny_answers_401_allow_forwards_without_identity_and_forged_headers_never_pass()
    {
        using var http = NoRedirects();
        using (var denied = await Get(http, $"{server.BaseUrl}/alb-deny/x", null))
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl}/alb-allow/x");
        forged.Headers.TryAddWithoutValidation("x-amzn-oidc-identity", "someone-else");
        forged.Headers.TryAddWithoutValidation("x-amzn-oidc-data", "forged.forged.forged");
        forged.Headers.TryAddWithoutValidation("Cookie", "AWSELBAuthSessionCookie-0=forged; other=1");
        using var allowed = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var answer = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("identity").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("data").ValueKind);
        Assert.False(answer.GetProperty("verified").GetBoolean());
        Assert.Equal(["other"], answer.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));

        using var redirect = await Get(http, $"{server.BaseUrl}/alb-notes/x", null);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!.ToString();
        Assert.StartsWith($"{server.BaseUrl}/{domain}/oauth2/authorize?", location, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString($"{server.BaseUrl}/alb-notes/oauth2/idpresponse"), location, StringComparison.Ordinal);
        Assert.Contains("nonce=", location, StringComparison.Ordinal);

        // A callback with a state this route did not issue, or without the browser's nonce cookie, signs nobody in.
        using var bogus = await Get(http, $"{server.BaseUrl}/alb-notes/oauth2/idpresponse?code=abc&state=xyz", null);
        Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);

        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var refused = (await Cognito.Send(new ListGatewayDecisionsRequest { RouteId = "alb-deny", Decision = "ImplicitDeny" })).Decisions!;
        Assert.Contains(refused, d => d is { Action: "GET /alb-deny/x", Statement: "no session; on-unauthenticated-request deny" });
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_no_session_and_a_session_opens_only_on_its_own_route()
    {
        var email = await NewUser();
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-notes/mine");
        var cookies = await CookieHeader(page, $"{server.BaseUrl}/alb-notes/");
        Assert.Contains("AWSELBAuthSessionCookie-0=", cookies, StringComparison.Ordinal);

        using var http = NoRedirects();
        using (var ok = await Get(http, $"{server.BaseUrl}/alb-notes/mine", cookies))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.True(JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("verified").GetBoolean());
        }

        // One character changed in the sealed session: the route reads no session and sends the browser to sign in.
        var at = cookies.IndexOf("AWSELBAuthSessionCookie-0=", StringComparison.Ordinal) + "AWSELBAuthSessionCookie-0=".Length + 10;
        var tampered = cookies[..at] + (cookies[at] == 'A' ? 'B' : 'A') + cookies[(at + 1)..];
        using (var refused = await Get(http, $"{server.BaseUrl}/alb-notes/mine", tampered))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith($"{server.BaseUrl}/{domain}/oauth2/authorize?", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        using (var denied = await Get(http, $"{server.BaseUrl}/alb-deny/mine", tampered))
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

        // The valid session of alb-notes is no session on alb-deny (sessions are bound to their route).
        using (var other = await Get(http, $"{server.BaseUrl}/alb-deny/mine", cookies))
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task Signing_out_as_ALB_documents_expires_the_cookies_ends_the_hosted_UI_session_and_the_next_visit_signs_in_again()
    {
        var email = await NewUser();
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-notes/start");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Signed in as {email}" })).ToBeVisibleAsync();

        // The application's sign-out: expire AWSELBAuthSessionCookie-*, redirect to the pool's logout endpoint, which
        // ends the hosted UI's session and sends the browser to the registered logout_uri.
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/logout");
        await Assertions.Expect(page).ToHaveURLAsync($"{server.BaseUrl}/alb-allow/signed-out");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not signed in" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name.StartsWith("AWSELBAuthSessionCookie", StringComparison.Ordinal));

        // The next visit asks for the password again (no session at the route, none at the hosted UI).
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/start");
        Assert.Contains($"/{domain}/login", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_expired_access_token_is_renewed_with_the_refresh_token_and_a_refused_refresh_sends_the_browser_to_sign_in()
    {
        var email = await NewUser();
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-notes/renew");
        var first = await Answer(page);
        var cookieBefore = (await page.Context.CookiesAsync()).Single(c => c.Name == "AWSELBAuthSessionCookie-0").Value;

        // An hour later the access token has expired: the route renews it, the backend gets the new one, and the
        // browser the renewed session.
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/renew");
        var second = await Answer(page);
        Assert.True(second.GetProperty("verified").GetBoolean(), second.ToString());
        Assert.NotEqual(first.GetProperty("accessTokenJti").GetString(), second.GetProperty("accessTokenJti").GetString());
        var cookieAfter = (await page.Context.CookiesAsync()).Single(c => c.Name == "AWSELBAuthSessionCookie-0").Value;
        Assert.NotEqual(cookieBefore, cookieAfter);

        // Within the renewed access token's hour nothing is renewed again.
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/renew");
        Assert.Equal(second.GetProperty("accessTokenJti").GetString(), (await Answer(page)).GetProperty("accessTokenJti").GetString());

        // Signed out everywhere: the refresh token is refused once the access token expires, the session ends, and the
        // browser is sent to sign in again.
        await Cognito.Send(new AdminUserGlobalSignOutRequest { UserPoolId = poolId, Username = email });
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        using var http = NoRedirects();
        using var again = await Get(http, $"{server.BaseUrl}/alb-notes/renew", await CookieHeader(page, $"{server.BaseUrl}/alb-notes/"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith($"{server.BaseUrl}/{domain}/oauth2/authorize?", again.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains(again.Headers.GetValues("Set-Cookie"), c => c.StartsWith("AWSELBAuthSessionCookie-0=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

        await server.Services.GetRequiredService<GatewayDecisionLog>().Drained();
        var sub = second.GetProperty("identity").GetString();
        Assert.Contains((await Cognito.Send(new ListGatewayDecisionsRequest { RouteId = "alb-notes", Caller = sub })).Decisions!,
            d => d is { Decision: "Allow", Statement: "session; access token renewed with the refresh token" });
    }

    [Fact]
    public async Task The_session_ends_after_the_session_timeout_of_seven_days_even_while_the_refresh_token_lives()
    {
        var email = await NewUser();
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-notes/week");
        var signedInAt = server.Clock.GetUtcNow();

        // Six days and 23 hours on: the access token is renewed and the request passes.
        server.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(1));
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/week");
        Assert.True((await Answer(page)).GetProperty("verified").GetBoolean());

        // Past seven days from the sign-in (the refresh token would still be good for weeks): sign in again.
        server.Clock.Advance(signedInAt + TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1) - server.Clock.GetUtcNow());
        using var http = NoRedirects();
        using var expired = await Get(http, $"{server.BaseUrl}/alb-notes/week", await CookieHeader(page, $"{server.BaseUrl}/alb-notes/"));
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.StartsWith($"{server.BaseUrl}/{domain}/oauth2/authorize?", expired.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renewal_shows_changed_attributes_and_parallel_requests_of_one_session_renew_it_once_with_rotation_and_no_grace()
    {
        // A client with refresh token rotation and no grace period: a refresh token used twice is reuse, and reuse revokes
        // the whole family.
        var rotating = (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "alb-rotating", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = [$"{server.BaseUrl}/alb-rotate/oauth2/idpresponse"],
            RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = 0 },
        })).UserPoolClient!.ClientId!;
        // Its own backend: AlbJwtVerifier checks the x-amzn-oidc-data header's client against the one it was given.
        await using var rotatingBackend = await AlbNodeBackend.Start(Signer, $"{server.BaseUrl}/{poolId}", rotating, $"{server.BaseUrl}/gateway/alb-keys");
        await Cognito.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "alb-rotate", Kind = GatewayRouteKinds.Alb, PathPrefix = "/alb-rotate", Backend = rotatingBackend.BaseUrl,
                Settings = new() { ["UserPoolId"] = poolId, ["ClientId"] = rotating, ["Scope"] = "openid email profile", ["LoadBalancerArn"] = Signer },
            },
        });
        var email = await NewUser();
        await Cognito.Send(new AdminUpdateUserAttributesRequest { UserPoolId = poolId, Username = email, UserAttributes = [new() { Name = "name", Value = "Ada" }] });
        var page = await SignedIn(email, $"{server.BaseUrl}/alb-rotate/who");
        Assert.Equal("Ada", (await Answer(page)).GetProperty("claims").GetProperty("name").GetString());
        var cookies = await CookieHeader(page, $"{server.BaseUrl}/alb-rotate/");

        // The user's name changes; an hour later the access token has expired and six requests of the browser arrive at once.
        await Cognito.Send(new AdminUpdateUserAttributesRequest { UserPoolId = poolId, Username = email, UserAttributes = [new() { Name = "name", Value = "Ada Lovelace" }] });
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        using var http = NoRedirects();
        async Task<(HttpStatusCode Status, JsonElement Answer, List<string> SetCookies)> Call(string path, string cookie)
        {
            using var response = await Get(http, $"{server.BaseUrl}/alb-rotate/{path}", cookie);
            var text = await response.Content.ReadAsStringAsync();
            var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
            return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.Clone() : default, setCookies);
        }
        var parallel = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Call($"parallel-{i}", cookies)));
        foreach (var (status, answer, _) in parallel)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(answer.GetProperty("verified").GetBoolean(), answer.ToString());
            // The claims were read again at the renewal.
            Assert.Equal("Ada Lovelace", answer.GetProperty("claims").GetProperty("name").GetString());
        }
        // One renewal: every request got the same new access token, and each answer carries the renewed session (encrypted
        // anew each time, so the cookie texts differ).
        Assert.Single(parallel.Select(p => p.Answer.GetProperty("accessTokenJti").GetString()).Distinct());
        var renewedCookies = parallel.Select(p => string.Join("; ", p.SetCookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("AWSELBAuthSessionCookie-", StringComparison.Ordinal))))
            .ToList();
        Assert.All(renewedCookies, c => Assert.StartsWith("AWSELBAuthSessionCookie-0=", c, StringComparison.Ordinal));

        // The family lives: an hour later the renewed session renews again (a revoked family would end the session and send
        // the browser to sign in).
        server.Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await Call("later", renewedCookies[^1]);
        Assert.Equal(HttpStatusCode.OK, later.Status);
        Assert.True(later.Answer.GetProperty("verified").GetBoolean(), later.Answer.ToString());
        Assert.NotEqual(parallel[0].Answer.GetProperty("accessTokenJti").GetString(), later.Answer.GetProperty("accessTokenJti").GetString());
    }
}
