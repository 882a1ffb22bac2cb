using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>A backend written for ALB (Node, aws-jwt-verify's AlbJwtVerifier, unchanged but for the key URL) behind an Alb
/// route: chromium signs in through the pool's hosted UI and the backend verifies x-amzn-oidc-data with Portal's published key.</summary>
public sealed class AlbRouteTests(PortalServer server) : IClassFixture<PortalServer>, IAsyncLifetime
{
    const string Signer = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/notes/0123456789abcdef";
    readonly Browser browser = new();
    Process? node;
    int nodePort;
    string poolId = "", clientId = "", email = "";
    const string Password = "Correct-Horse-9";

    ICognito Cognito => server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();

    public async Task InitializeAsync()
    {
        await browser.InitializeAsync();
        var pool = await Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = "alb", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", Required = true }],
        });
        poolId = pool.UserPool!.Id!;
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = "alb-" + Guid.NewGuid().ToString("n")[..8] });
        clientId = (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "alb", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = [$"{server.BaseUrl}/alb-notes/oauth2/idpresponse", $"{server.BaseUrl}/alb-deny/oauth2/idpresponse", $"{server.BaseUrl}/alb-allow/oauth2/idpresponse"],
        })).UserPoolClient!.ClientId!;
        email = $"alb-{Guid.NewGuid():n}"[..12] + "@example.com";
        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = poolId, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = poolId, Username = email, Password = Password, Permanent = true });

        nodePort = PortalServer.FreePort();
        node = Process.Start(new ProcessStartInfo("node",
        [
            "alb-backend.mjs", nodePort.ToString(System.Globalization.CultureInfo.InvariantCulture), Signer, $"{server.BaseUrl}/{poolId}", clientId,
            $"{server.BaseUrl}/gateway/alb-keys",
        ])
        {
            WorkingDirectory = Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "gateway"),
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var first = await node.StandardOutput.ReadLineAsync();
        Assert.True(first == "listening", $"the Node backend did not start: {first} {await node.StandardError.ReadToEndAsync()}");

        foreach (var (id, mode) in new[] { ("alb-notes", "authenticate"), ("alb-deny", "deny"), ("alb-allow", "allow") })
            await Cognito.Send(new PutGatewayRouteRequest
            {
                Route = new GatewayRouteType
                {
                    Id = id, Kind = GatewayRouteKinds.Alb, PathPrefix = "/" + id, Backend = $"http://127.0.0.1:{nodePort}",
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
        if (node is { HasExited: false }) node.Kill(entireProcessTree: true);
        node?.Dispose();
        await browser.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_signs_in_through_the_hosted_UI_and_the_ALB_backend_verifies_who_it_is()
    {
        var page = await browser.NewPage();
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/hello?x=1");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username or email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"{server.BaseUrl}/alb-notes/hello?x=1");

        var answer = JsonDocument.Parse(await page.Locator("body").InnerTextAsync()).RootElement;
        Assert.True(answer.GetProperty("verified").GetBoolean(), answer.ToString());
        Assert.Equal(email, answer.GetProperty("claims").GetProperty("email").GetString());
        Assert.Equal(answer.GetProperty("identity").GetString(), answer.GetProperty("claims").GetProperty("sub").GetString());
        Assert.True(answer.GetProperty("hasAccessToken").GetBoolean());
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "AWSELBAuthSessionCookie-0" && c.HttpOnly && c.Path == "/alb-notes");

        // The session stays: the next request goes straight through.
        await page.GotoAsync($"{server.BaseUrl}/alb-notes/again");
        Assert.True(JsonDocument.Parse(await page.Locator("body").InnerTextAsync()).RootElement.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Deny_answers_401_allow_forwards_without_identity_and_forged_headers_never_pass()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using (var denied = await http.GetAsync(new Uri($"{server.BaseUrl}/alb-deny/x")))
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl}/alb-allow/x");
        forged.Headers.TryAddWithoutValidation("x-amzn-oidc-identity", "someone-else");
        forged.Headers.TryAddWithoutValidation("Cookie", "AWSELBAuthSessionCookie-0=forged");
        using var allowed = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var answer = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("identity").ValueKind);
        Assert.False(answer.GetProperty("verified").GetBoolean());

        using var redirect = await http.GetAsync(new Uri($"{server.BaseUrl}/alb-notes/x"));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!.ToString();
        Assert.Contains("/oauth2/authorize?", location, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString($"{server.BaseUrl}/alb-notes/oauth2/idpresponse"), location, StringComparison.Ordinal);
        Assert.Contains("nonce=", location, StringComparison.Ordinal);

        // A callback with a state this route did not issue, or without the browser's nonce cookie, signs nobody in.
        using var bogus = await http.GetAsync(new Uri($"{server.BaseUrl}/alb-notes/oauth2/idpresponse?code=abc&state=xyz"));
        Assert.Equal(HttpStatusCode.Unauthorized, bogus.StatusCode);
    }
}
