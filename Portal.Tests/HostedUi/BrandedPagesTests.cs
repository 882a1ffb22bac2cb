using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>The hosted pages wear the operator's branding: Cognito CSS, Portal's theme and texts, and unsaved drafts in preview.</summary>
public sealed class BrandedPagesTests(HostedUiFixture f) : IClassFixture<HostedUiFixture>
{
    string LoginUrl(string? extra = null) =>
        $"{f.Server.BaseUrl}/{f.Domain}/login?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}{extra}";

    [Fact]
    public async Task Theme_and_cognito_css_style_every_page()
    {
        await f.Cognito.Send(new SetUICustomizationRequest
        {
            UserPoolId = f.PoolId, ClientId = f.SecondClientId,
            CSS = ".submitButton-customizable { background-color: #0b7a4b; } .banner-customizable { padding: 8px; }",
        });
        await f.Cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = f.PoolId, ClientId = f.SecondClientId,
            Theme = new HostedUiTheme
            {
                PrimaryColor = "#0b7a4b", BackgroundColor = "#f3f7f2", TextColor = "#10231a", FontFamily = "Verdana", CornerRadius = 4,
                PageTitle = "Green Grocer",
                FooterLinks = [new FooterLink { Label = "Privacy", Url = "https://example.com/privacy" }],
                Pages = new() { ["login"] = new PageText { Heading = "Welcome back to Green Grocer", Description = "Fresh produce, one sign-in away." } },
            },
        });
        var context = await f.Browser.Instance.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(LoginUrl());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome back to Green Grocer" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Fresh produce, one sign-in away.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Privacy" })).ToHaveAttributeAsync("href", "https://example.com/privacy");
        Assert.Equal("Sign in · Green Grocer", await page.TitleAsync());
        var button = await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        Assert.Equal("rgb(11, 122, 75)", button);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-login-themed.png") });

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign up" }).ClickAsync();
        Assert.Equal("rgb(11, 122, 75)", await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "hosted-signup-themed.png") });
        foreach (var (path, name) in new[] { ("forgotPassword", "forgot-password"), ("confirm", "confirm"), ("confirmForgotPassword", "confirm-forgot-password") })
        {
            await page.GotoAsync($"{f.Server.BaseUrl}/{f.Domain}/{path}?client_id={f.SecondClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(f.SecondApp.CallbackUrl)}&username=someone%40example.com&destination=s***%40e***");
            Assert.Equal("rgb(11, 122, 75)", await page.Locator("button[type=submit]").First.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, $"hosted-{name}-themed.png") });
        }
    }

    [Fact]
    public async Task A_draft_preview_shows_unsaved_branding_and_may_be_framed_by_the_portal()
    {
        var previews = f.Server.Services.GetRequiredService<BrandingPreview>();
        var token = previews.Create(new BrandingDraft
        {
            UserPoolId = f.PoolId,
            Css = ".submitButton-customizable { background-color: #8a1c7c; }",
            Theme = new HostedUiTheme { Pages = new() { ["login"] = new PageText { Heading = "Draft heading" } } },
        });
        using var http = new HttpClient();
        var response = await http.GetAsync(LoginUrl($"&preview={token}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("frame-ancestors 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Draft heading", html);
        var css = await http.GetStringAsync(System.Text.RegularExpressions.Regex.Match(html, "href=\"(/[^\"]+/ui\\.css[^\"]+)\"").Groups[1].Value
            .Replace("&amp;", "&").Insert(0, f.Server.BaseUrl));
        // The sanitiser re-serialises the draft: the colour may come back as rgb().
        Assert.True(css.Contains("#8a1c7c") || css.Contains("rgb(138, 28, 124)"), css);

        // A forged or foreign token is ignored: the saved look is shown.
        var forged = await http.GetStringAsync(LoginUrl("&preview=forged-token"));
        Assert.DoesNotContain("Draft heading", forged);
    }
}
