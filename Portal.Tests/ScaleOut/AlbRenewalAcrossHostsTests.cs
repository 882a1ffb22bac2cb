using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Gateway;

namespace Portal.Tests.ScaleOut;

/// <summary>Two instances on one PostgreSQL behind one public URL, whose gateway routes are re-read every second (a route put
/// through one instance reaches the other quickly).</summary>
public sealed class AlbHostsOnPostgres() : TwoHostsOnPostgres(new Dictionary<string, string?> { ["Portal:Gateway:RefreshSeconds"] = "1" }, onePublicUrl: true);

/// <summary>The ALB route's renewal across instances: an expired access token's session, its requests spread over two
/// instances at once, is renewed once (a ReplayGuards row decides which instance refreshes); with refresh token rotation
/// and no grace period a second refresh would be reuse and revoke the family, so the family surviving shows there was one.
/// Every answer carries claims the ALB backend (aws-jwt-verify) verifies.</summary>
public sealed partial class AlbRenewalAcrossHostsTests(AlbHostsOnPostgres hosts) : IClassFixture<AlbHostsOnPostgres>
{
    const string Signer = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/notes/0123456789abcdef";
    const string Password = "Correct-Horse-9";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [Fact]
    public async Task Parallel_renewals_of_one_session_on_two_instances_refresh_once_and_the_family_survives()
    {
        var (a, b) = (hosts.A, hosts.B);
        var pool = (await a.Admin.Send(new CreateUserPoolRequest { PoolName = "alb-two", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"] })).UserPool!.Id!;
        var domain = "alb2-" + Guid.NewGuid().ToString("n")[..8];
        await a.Admin.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        var client = (await a.Admin.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "alb", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"],
            CallbackURLs = [$"{a.BaseUrl}/alb-two/oauth2/idpresponse", $"{b.BaseUrl}/alb-two/oauth2/idpresponse"],
            RefreshTokenRotation = new RefreshTokenRotationType { Feature = "ENABLED", RetryGracePeriodSeconds = 0 },
        })).UserPoolClient!.ClientId!;
        await using var backend = await AlbNodeBackend.Start(Signer, $"{a.BaseUrl}/{pool}", client, $"{a.BaseUrl}/gateway/alb-keys");
        await a.Admin.Send(new PutGatewayRouteRequest
        {
            Route = new GatewayRouteType
            {
                Id = "alb-two", Kind = GatewayRouteKinds.Alb, PathPrefix = "/alb-two", Backend = backend.BaseUrl,
                Settings = new() { ["UserPoolId"] = pool, ["ClientId"] = client, ["Scope"] = "openid email", ["LoadBalancerArn"] = Signer },
            },
        });
        var email = Infrastructure.PortalServer.Unique("alb") + "@example.com";
        await a.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = email, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = email }, new() { Name = "email_verified", Value = "true" }],
        });
        await a.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = email, Password = Password, Permanent = true });

        // The browser signs in through instance A's hosted UI and lands back on the route with its session cookie.
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        using var login = await browser.GetAsync(new Uri($"{a.BaseUrl}/alb-two/who"));
        var loginPage = await login.Content.ReadAsStringAsync();
        Assert.Contains($"/{domain}/login", login.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Antiforgery().Match(loginPage).Groups[1].Value), ["username"] = email, ["password"] = Password,
        });
        using var landed = await browser.PostAsync(login.RequestMessage.RequestUri, form);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        var first = JsonDocument.Parse(await landed.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(first.GetProperty("verified").GetBoolean(), first.ToString());
        var session = cookies.GetCookieHeader(new Uri($"{a.BaseUrl}/alb-two/"));
        Assert.Contains("AWSELBAuthSessionCookie-0=", session, StringComparison.Ordinal);

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        async Task<(HttpStatusCode Status, JsonElement Answer, string? Renewed)> Call(SharedStoreServer host, string path, string cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{host.BaseUrl}/alb-two/{path}");
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var renewed = response.Headers.TryGetValues("Set-Cookie", out var values)
                ? values.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("AWSELBAuthSessionCookie-0=", StringComparison.Ordinal))
                : null;
            return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.Clone() : default, renewed);
        }
        // B has read the route (it re-reads them every second) once it sends a browser without a session to sign in.
        for (var i = 0; i < 100 && (await Call(b, "probe", "")).Status == HttpStatusCode.NotFound; i++) await Task.Delay(100);

        // An hour later, on both instances, the access token has expired; eight requests of the browser arrive at once, half
        // on each instance.
        a.Clock.Advance(TimeSpan.FromMinutes(61));
        b.Clock.Advance(TimeSpan.FromMinutes(61));
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Call(hosts.Host(i), $"parallel-{i}", session)));
        foreach (var (status, answer, _) in parallel)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(answer.GetProperty("verified").GetBoolean(), answer.ToString());
            Assert.Equal(email, answer.GetProperty("claims").GetProperty("email").GetString());
        }
        // One refresh: the answers carry the one renewed access token (or, on the instance that lost the race, the session
        // as it was, whose claims are as valid); never two new ones.
        var oldJti = first.GetProperty("accessTokenJti").GetString();
        Assert.Single(parallel.Select(p => p.Answer.GetProperty("accessTokenJti").GetString()).Where(j => j != oldJti).Distinct());
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            Assert.Equal(1, await db.ReplayGuards.CountAsync(g => g.Key.StartsWith("alb-renew:")));
        }

        // The family lives: an hour later the renewed session (the cookie the winner's answers carried) renews again.
        var renewed = parallel.Select(p => p.Renewed).First(c => c is not null)!;
        a.Clock.Advance(TimeSpan.FromMinutes(61));
        b.Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await Call(b, "later", renewed);
        Assert.Equal(HttpStatusCode.OK, later.Status);
        Assert.True(later.Answer.GetProperty("verified").GetBoolean(), later.Answer.ToString());
        Assert.DoesNotContain(later.Answer.GetProperty("accessTokenJti").GetString(), parallel.Select(p => p.Answer.GetProperty("accessTokenJti").GetString()));
    }
}
