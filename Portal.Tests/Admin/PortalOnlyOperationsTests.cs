using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Admin;

/// <summary>The portal's own operations through the engine: branding previews that the hosted pages render, the outbox
/// with codes masked, sign-up and sign-in counts per day, and who may call them.</summary>
[Collection(ServerCollection.Name)]
public sealed class PortalOnlyOperationsTests(PortalServer server)
{
    const string Password = "Passw0rd!-long";
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();

    sealed class Signed(params Claim[] claims) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test"))));
    }

    OperatorCognito As(string group) => new(Engine, new Signed(new Claim("cognito:username", "op-" + group), new Claim("cognito:groups", group)),
        TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());

    /// <summary>A pool with a domain and a client that may use the hosted UI and sign in with a password.</summary>
    async Task<(string Pool, string Domain, string Client)> Pool(string prefix = "admin-ops")
    {
        var pool = (await Engine.Send(new CreateUserPoolRequest { PoolName = prefix + "-" + Guid.NewGuid().ToString("n")[..6], AutoVerifiedAttributes = ["email"] })).UserPool!.Id!;
        var domain = "ops-" + Guid.NewGuid().ToString("n")[..10];
        await Engine.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        var client = (await Engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "web", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email"], SupportedIdentityProviders = ["COGNITO"], CallbackURLs = ["https://app.example.com/callback"],
            ExplicitAuthFlows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        return (pool, domain, client);
    }

    static HttpClient Http() => new(new HttpClientHandler { AllowAutoRedirect = false });

    [Fact]
    public async Task A_preview_url_shows_the_draft_on_the_hosted_login_page_before_it_is_saved()
    {
        var (pool, domain, client) = await Pool();
        var answer = await Engine.Send(new CreateBrandingPreviewRequest
        {
            UserPoolId = pool, CSS = ".submitButton-customizable { background-color: #00aa00; }",
            Theme = new HostedUiTheme { PrimaryColor = "#ff0000", PageTitle = "Draft title", Pages = new() { ["login"] = new PageText { Heading = "Welcome to the draft" } } },
        });
        Assert.Empty(answer.CssProblems!);
        Assert.Null(answer.Problem);
        Assert.StartsWith($"/{domain}/login?client_id={client}&response_type=code&redirect_uri=", answer.PreviewUrl);
        Assert.InRange(answer.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));

        using var http = Http();
        var page = await http.GetAsync(server.BaseUrl + answer.PreviewUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Draft title", html);
        Assert.Contains("Welcome to the draft", html);
        // The portal (same origin) may frame a preview; nothing else may.
        Assert.Contains("frame-ancestors 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var css = Regex.Match(html, "href=\"([^\"]*ui\\.css[^\"]*)\"").Groups[1].Value.Replace("&amp;", "&");
        Assert.Contains("preview=", css);
        var stylesheet = await http.GetStringAsync(server.BaseUrl + css);
        Assert.Contains("--portal-primary: #ff0000", stylesheet);
        Assert.Contains(".submitButton-customizable", stylesheet);
        Assert.Contains("rgb(0, 170, 0)", stylesheet);

        // Nothing was saved: the published page keeps the pool's look.
        var published = await http.GetStringAsync(server.BaseUrl + answer.PreviewUrl![..answer.PreviewUrl!.IndexOf("&preview=", StringComparison.Ordinal)]);
        Assert.DoesNotContain("Draft title", published);
        Assert.Null((await Engine.Send(new GetUICustomizationRequest { UserPoolId = pool })).UICustomization!.CSS);
    }

    [Fact]
    public async Task Css_problems_come_with_their_line_and_column_and_no_preview()
    {
        var (pool, _, _) = await Pool();
        var answer = await Engine.Send(new CreateBrandingPreviewRequest
        {
            UserPoolId = pool, CSS = ".label-customizable { color: #111111; }\n\n.submitButton-customizable {\n  position: fixed;\n}",
        });
        Assert.Null(answer.PreviewUrl);
        var problem = Assert.Single(answer.CssProblems!);
        Assert.Equal(4, problem.Line);
        Assert.Equal(3, problem.Column);
        Assert.Contains("position", problem.Message);
    }

    [Fact]
    public async Task Preview_logos_that_are_never_saved_are_removed_once_their_preview_has_expired()
    {
        var (pool, _, _) = await Pool();
        var blobs = server.Services.GetRequiredService<global::Portal.Server.Branding.IBlobStore>();
        var unsaved = TestImages.Png(width: 21, height: 5);
        var saved = TestImages.Png(width: 22, height: 5);
        var dropped = (await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, ImageFile = unsaved })).LogoKey!;
        var kept = (await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, ImageFile = saved })).LogoKey!;
        await Engine.Send(new SetUICustomizationRequest { UserPoolId = pool, ImageFile = saved });
        Assert.NotNull(await blobs.Get(dropped));

        // Not before the preview (and an hour's grace) is over.
        await using (var scope = server.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<global::Portal.Server.Branding.BrandingAssets>().SweepPreviews(DateTimeOffset.UtcNow, default);
        Assert.NotNull(await blobs.Get(dropped));

        await using (var scope = server.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<global::Portal.Server.Branding.BrandingAssets>().SweepPreviews(DateTimeOffset.UtcNow.AddHours(2), default) >= 2);
        Assert.Null(await blobs.Get(dropped));
        Assert.Equal(saved, (await blobs.Get(kept))!.Bytes);
        Assert.Equal(saved, (await Engine.Send(new GetBrandingLogoRequest { UserPoolId = pool })).ImageFile);
    }

    [Fact]
    public async Task A_logo_is_checked_stored_once_and_named_for_later_previews()
    {
        var (pool, domain, _) = await Pool();
        var tooBig = await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, ImageFile = TestImages.Png(padding: 120 * 1024) });
        Assert.Contains("limit is 102,400 bytes", tooBig.LogoProblem);
        Assert.Null(tooBig.PreviewUrl);

        var ok = await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, ImageFile = TestImages.Png() });
        Assert.Null(ok.LogoProblem);
        Assert.EndsWith(".png", ok.LogoKey);
        var again = await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, LogoKey = ok.LogoKey, Page = "signup" });
        Assert.StartsWith($"/{domain}/signup?", again.PreviewUrl);
        using var http = Http();
        Assert.Contains($"/assets/{ok.LogoKey}", await http.GetStringAsync(server.BaseUrl + again.PreviewUrl));

        // Published with SetUICustomization, the editor can read the logo's bytes back to publish it again unchanged.
        await Engine.Send(new SetUICustomizationRequest { UserPoolId = pool, ImageFile = TestImages.Png() });
        var logo = await Engine.Send(new GetBrandingLogoRequest { UserPoolId = pool });
        Assert.Equal(TestImages.Png(), logo.ImageFile);
        Assert.Equal(ok.LogoKey, logo.LogoKey);
        Assert.Equal("image/png", logo.ContentType);
        _ = domain;
    }

    [Fact]
    public async Task The_mfa_page_is_previewed_with_the_drafts_heading_and_is_never_shown_without_a_preview()
    {
        var (pool, domain, _) = await Pool();
        var answer = await Engine.Send(new CreateBrandingPreviewRequest
        {
            UserPoolId = pool, Page = "mfa",
            Theme = new HostedUiTheme { Pages = new() { ["mfa"] = new PageText { Heading = "Prove it is you", Description = "Open your Shop authenticator." } } },
        });
        Assert.StartsWith($"/{domain}/mfa?", answer.PreviewUrl);
        using var http = Http();
        var html = await http.GetStringAsync(server.BaseUrl + answer.PreviewUrl);
        Assert.Contains("Prove it is you", html);
        Assert.Contains("Open your Shop authenticator.", html);
        Assert.Contains("autocomplete=\"one-time-code\"", html);

        // Without a preview there is no sign-in to continue: the page sends the user to the login page.
        var plain = await http.GetAsync(server.BaseUrl + answer.PreviewUrl!.Split("&preview=")[0]);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, plain.StatusCode);
        Assert.Contains($"/{domain}/login?", plain.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_pool_without_a_domain_has_nothing_to_preview()
    {
        var pool = (await Engine.Send(new CreateUserPoolRequest { PoolName = "no-domain-" + Guid.NewGuid().ToString("n")[..6] })).UserPool!.Id!;
        var answer = await Engine.Send(new CreateBrandingPreviewRequest { UserPoolId = pool, Theme = new HostedUiTheme { PrimaryColor = "#ff0000" } });
        Assert.Null(answer.PreviewUrl);
        Assert.Contains("no domain", answer.Problem);
    }

    [Fact]
    public async Task The_outbox_lists_messages_newest_first_with_codes_and_temporary_passwords_masked()
    {
        var (pool, _, client) = await Pool("outbox");
        var email = $"ann-{Guid.NewGuid():n}@example.com";
        await Engine.Send(new SignUpRequest { ClientId = client, Username = email, Password = Password, UserAttributes = [new() { Name = "email", Value = email }] });
        await Engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "bob", TemporaryPassword = "Tmp-Passw0rd!x", DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new() { Name = "email", Value = "bob@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });

        var listed = await Engine.Send(new ListOutboxMessagesRequest { UserPoolId = pool });
        Assert.Equal(2, listed.Messages!.Count);
        var (invitation, verification) = (listed.Messages[0], listed.Messages[1]);
        Assert.Equal("bob@example.com", invitation.Destination);
        Assert.Equal("Your username is bob and temporary password is ••••••. ", invitation.Body);
        Assert.Equal(email, verification.Destination);
        Assert.Equal("EMAIL", verification.Channel);
        Assert.Equal("Your verification code", verification.Subject);
        Assert.Equal("Your verification code is ••••••. ", verification.Body);
        Assert.NotNull(verification.Status);

        // What is stored still has the code: only the listing hides it.
        await using var scope = server.Services.CreateAsyncScope();
        var raw = await scope.ServiceProvider.GetRequiredService<PortalDb>().Outbox.AsNoTracking().Where(m => m.UserPoolId == pool).Select(m => m.Body).ToListAsync();
        Assert.Contains(raw, b => Regex.IsMatch(b, @"code is \d{6}\. "));
        Assert.Contains(raw, b => b.Contains("Tmp-Passw0rd!x"));

        var page = await Engine.Send(new ListOutboxMessagesRequest { UserPoolId = pool, Limit = 1 });
        Assert.Equal(invitation.Id, Assert.Single(page.Messages!).Id);
        var next = await Engine.Send(new ListOutboxMessagesRequest { UserPoolId = pool, Limit = 1, NextToken = page.NextToken });
        Assert.Equal(verification.Id, Assert.Single(next.Messages!).Id);
        Assert.Null(next.NextToken);
    }

    [Fact]
    public async Task Custom_templates_are_masked_where_their_code_was()
    {
        Assert.Equal("Hi ann, use •••••• to sign up. 2026 Shop",
            global::Portal.Server.Admin.Operations.ListOutboxMessages.Masked("Hi ann, use 123456 to sign up. 2026 Shop", ["Hi {username}, use {####} to sign up. 2026 Shop"]));
        // A body no template explains (a CustomMessage trigger's): code-like words are masked.
        Assert.Equal("Your one-time code: •••••• (valid 24h)",
            global::Portal.Server.Admin.Operations.ListOutboxMessages.Masked("Your one-time code: 987654 (valid 24h)", ["Your code is {####}"]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Statistics_count_a_sign_up_and_each_sign_in_once_whatever_the_refreshes()
    {
        var (pool, _, client) = await Pool("stats");
        var email = $"cy-{Guid.NewGuid():n}@example.com";
        await Engine.Send(new SignUpRequest { ClientId = client, Username = email, Password = Password, UserAttributes = [new() { Name = "email", Value = email }] });
        await Engine.Send(new AdminConfirmSignUpRequest { UserPoolId = pool, Username = email });
        var before = await Engine.Send(new GetActivityStatisticsRequest { UserPoolId = pool, Days = 14 });
        Assert.Equal(14, before.Days!.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), before.Days[^1].Date);
        Assert.Equal(1, before.Days[^1].SignUps);
        Assert.Equal(0, before.Days[^1].SignIns);

        var signIn = await Engine.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = pool, ClientId = client, AuthFlow = "ADMIN_USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Password },
        });
        await Engine.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = pool, ClientId = client, AuthFlow = "REFRESH_TOKEN_AUTH", AuthParameters = new() { ["REFRESH_TOKEN"] = signIn.AuthenticationResult!.RefreshToken! },
        });
        await Engine.Send(new InitiateAuthRequest
        {
            ClientId = client, AuthFlow = "USER_PASSWORD_AUTH", AuthParameters = new() { ["USERNAME"] = email, ["PASSWORD"] = Password },
        });

        var after = await Engine.Send(new GetActivityStatisticsRequest { UserPoolId = pool, Days = 30 });
        Assert.Equal(30, after.Days!.Count);
        Assert.Equal(2, after.Days[^1].SignIns);
        Assert.Equal(1, after.Days[^1].SignUps);
        Assert.All(after.Days.SkipLast(1), d => Assert.Equal((0, 0), (d.SignIns, d.SignUps)));
        Assert.Contains("refreshing is not counted", after.Counting);

        var everywhere = await Engine.Send(new GetActivityStatisticsRequest { Days = 1 });
        Assert.True(everywhere.Days!.Single().SignIns >= 2);
    }

    [Fact]
    public async Task Viewers_read_the_outbox_and_statistics_but_only_administrators_preview_branding()
    {
        var (pool, _, _) = await Pool("roles");
        var viewer = As("viewers");
        await viewer.Send(new ListOutboxMessagesRequest { UserPoolId = pool });
        await viewer.Send(new GetActivityStatisticsRequest { UserPoolId = pool, Days = 14 });
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new CreateBrandingPreviewRequest { UserPoolId = pool }));
        Assert.Contains("viewer", refused.Message);
        await Assert.ThrowsAsync<AccessDeniedException>(() => As("operators").Send(new CreateBrandingPreviewRequest { UserPoolId = pool }));
        // Describing SAML metadata may fetch a URL from the server: not for viewers or operators.
        await Assert.ThrowsAsync<AccessDeniedException>(() => viewer.Send(new DescribeSamlMetadataRequest { MetadataURL = "https://idp.example/metadata" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => As("operators").Send(new DescribeSamlMetadataRequest { MetadataURL = "https://idp.example/metadata" }));

        await As("administrators").Send(new CreateBrandingPreviewRequest { UserPoolId = pool, Theme = new HostedUiTheme { PrimaryColor = "#123456" } });
        await using var scope = server.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<PortalDb>().Audit.AsNoTracking().Where(a => a.UserPoolId == pool).ToListAsync();
        // A preview changes nothing: it is not audited (the operator's keystrokes would bury the log).
        Assert.DoesNotContain(audit, a => a.Action == "CreateBrandingPreview");
    }

    [Fact]
    public async Task Updates_and_deletes_are_audited_with_the_state_before_without_secrets()
    {
        var (pool, _, _) = await Pool("audit");
        var admin = As("administrators");
        await Engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "staff", Description = "old description" });
        await admin.Send(new UpdateGroupRequest { UserPoolId = pool, GroupName = "staff", Description = "new description" });
        var secretClient = (await Engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "backend", GenerateSecret = true })).UserPoolClient!;
        await admin.Send(new UpdateUserPoolClientRequest { UserPoolId = pool, ClientId = secretClient.ClientId, ClientName = "backend-2" });
        await Engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "dora", MessageAction = "SUPPRESS", UserAttributes = [new() { Name = "email", Value = "dora@example.com" }] });
        await admin.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "dora", Password = Password, Permanent = true });
        await admin.Send(new AdminDeleteUserRequest { UserPoolId = pool, Username = "dora" });
        await admin.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "new-group" });

        var entries = (await admin.Send(new ListAuditEntriesRequest { UserPoolId = pool })).Entries!;
        var group = entries.Single(e => e.Action == "UpdateGroup");
        Assert.Contains("old description", group.Before);
        Assert.Contains("new description", group.After);
        var client = entries.Single(e => e.Action == "UpdateUserPoolClient");
        Assert.Contains("\"ClientName\":\"backend\"", client.Before);
        Assert.DoesNotContain(secretClient.ClientSecret!, client.Before);
        Assert.Contains("\"ClientSecret\":\"***\"", client.Before);
        var password = entries.Single(e => e.Action == "AdminSetUserPassword");
        Assert.DoesNotContain(Password, password.After + password.Before);
        Assert.Contains("dora@example.com", password.Before);
        var deleted = entries.Single(e => e.Action == "AdminDeleteUser");
        Assert.Contains("dora@example.com", deleted.Before);
        Assert.Null(entries.Single(e => e.Action == "CreateGroup").Before);
    }
}
