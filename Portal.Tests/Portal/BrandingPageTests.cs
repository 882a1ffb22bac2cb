using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Client.Contract;
using Portal.Tests.Branding;
using Portal.Tests.Infrastructure;
using BrandingPage = Portal.Client.Pages.Branding;

namespace Portal.Tests.Portal;

/// <summary>The branding editor: CSS checked as the operator types, the logo's size checked in the browser, a debounced live
/// preview, and publishing as SetUICustomization then SetHostedUiTheme.</summary>
public sealed class BrandingPageTests : PortalPageTest
{
    string pool = "", domain = "";

    /// <summary>A pool with a domain (its hosted UI is what the preview shows) and an app client, whose published branding
    /// is a label colour and a primary colour, set through the engine as the page's save would.</summary>
    IRenderedComponent<BrandingPage> RenderBranding()
    {
        // A domain belongs to one pool of the engine: each test's pool gets its own.
        domain = PortalServer.Unique("shop");
        pool = Cognito.AddPool("shop", p => p with { Domain = domain });
        Cognito.AddClient(pool, "web");
        Cognito.Setup(new SetUICustomizationRequest { UserPoolId = pool, ClientId = "ALL", CSS = ".label-customizable { color: #111111; }" });
        Cognito.Setup(new SetHostedUiThemeRequest { UserPoolId = pool, Theme = new HostedUiTheme { PrimaryColor = "#1f6feb" } });
        Nav.NavigateTo($"branding?pool={pool}");
        var page = Ctx.Render<BrandingPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='preview-frame']")), Wait);
        return page;
    }

    string FrameSrc(IRenderedComponent<BrandingPage> page) => page.Find("[data-testid='preview-frame']").GetAttribute("src")!;

    [Fact]
    public void The_editor_starts_from_what_is_published_and_shows_a_preview()
    {
        var page = RenderBranding();
        Assert.Contains(".label-customizable", Input(page, "css-editor").GetAttribute("value") ?? Input(page, "css-editor").TextContent);
        Assert.Equal("#1f6feb", Input(page, "theme-primary").GetAttribute("value"));
        var first = Cognito.Requests<CreateBrandingPreviewRequest>().Last();
        Assert.Equal(pool, first.UserPoolId);
        Assert.Equal("ALL", first.ClientId);
        Assert.Equal("login", first.Page);
        Assert.StartsWith($"/{domain}/login?preview=", FrameSrc(page));
    }

    [Fact]
    public void Css_problems_appear_at_their_line_as_the_operator_types()
    {
        var page = RenderBranding();
        Input(page, "css-editor").Input(".submitButton-customizable {\n  position: fixed;\n}");
        page.WaitForAssertion(() => Assert.Contains("Line 2, column 3", page.Find("[data-testid='css-problem-line-2']").TextContent), Wait);
        Assert.Contains("'position' is not allowed", page.Find("[data-testid='css-problems']").TextContent);
        Assert.Contains("2 |   position: fixed;", page.Find("[data-testid='css-problem-line-2']").TextContent);
        Assert.True(Button(page, "save-branding").HasAttribute("disabled"));

        Input(page, "css-editor").Input(".submitButton-customizable {\n  color: #ffffff;\n}");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='css-problems']")), Wait);
        Assert.False(Button(page, "save-branding").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_preview_follows_the_draft_after_the_operator_pauses()
    {
        var page = RenderBranding();
        var before = FrameSrc(page);
        var sent = Cognito.Requests<CreateBrandingPreviewRequest>().Count;
        // Typed key by key, 100 ms apart on the page's clock: the preview is asked for once the operator pauses, not at
        // every key. Each key is handed to the page before the clock moves (a key sent and not yet taken would let the
        // clock run past it).
        var clock = Clock.Fake = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        foreach (var typed in new[] { "#f", "#ff", "#ff0", "#ff00", "#ff000", "#ff0000" })
        {
            await Input(page, "theme-primary").InputAsync(new ChangeEventArgs { Value = typed });
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        await Input(page, "theme-title").InputAsync(new ChangeEventArgs { Value = "Shop sign-in" });
        clock.Advance(BrandingPage.Debounce - TimeSpan.FromMilliseconds(1));
        Assert.Equal(sent, Cognito.Requests<CreateBrandingPreviewRequest>().Count);
        Assert.Contains("Waiting for you to pause", page.Find("[data-testid='preview-status']").TextContent);

        // The pause is over: the whole draft, and only it, is previewed.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        page.WaitForAssertion(() => Assert.NotEqual(before, FrameSrc(page)), Wait);
        page.WaitForAssertion(() => Assert.Contains("Preview of the draft", page.Find("[data-testid='preview-status']").TextContent), Wait);
        var asked = Assert.Single(Cognito.Requests<CreateBrandingPreviewRequest>().Skip(sent));
        Assert.Equal(("#ff0000", "Shop sign-in"), (asked.Theme!.PrimaryColor, asked.Theme.PageTitle));
    }

    [Fact]
    public void The_preview_shows_another_hosted_page_when_asked()
    {
        var page = RenderBranding();
        page.FindAll("[data-testid='preview-page'] button").First(b => b.TextContent.Contains("Sign up")).Click();
        page.WaitForAssertion(() => Assert.Equal("signup", Cognito.Requests<CreateBrandingPreviewRequest>().Last().Page), Wait);
    }

    [Fact]
    public void A_logo_over_100_KB_is_refused_before_it_is_uploaded()
    {
        var page = RenderBranding();
        var sent = Cognito.Requests<CreateBrandingPreviewRequest>().Count;
        var big = new byte[150 * 1024];
        big[0] = 0x89;
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(big, "big-logo.png", contentType: "image/png"));
        page.WaitForAssertion(() => Assert.Contains("at most 100 KB", page.Find("[data-testid='logo-error']").TextContent), Wait);
        Assert.Contains("Nothing was uploaded", page.Find("[data-testid='logo-error']").TextContent);
        Assert.DoesNotContain(Cognito.Requests<CreateBrandingPreviewRequest>().Skip(sent), r => r.ImageFile is not null);
        Assert.Empty(page.FindAll("[data-testid='logo-preview'] img"));
    }

    [Fact]
    public void An_svg_logo_is_refused_by_name()
    {
        var page = RenderBranding();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", contentType: "image/svg+xml"));
        page.WaitForAssertion(() => Assert.Contains("not a PNG or JPEG", page.Find("[data-testid='logo-error']").TextContent), Wait);
    }

    [Fact]
    public void A_small_logo_is_uploaded_once_and_previewed()
    {
        var page = RenderBranding();
        // A real PNG of 2,048 bytes (the engine reads it), padded with a comment.
        var png = TestImages.Png(padding: 2048 - TestImages.Png().Length - 20);
        Assert.Equal(2048, png.Length);
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(png, "logo.png", contentType: "image/png"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='logo-preview'] img")), Wait);
        Assert.StartsWith("data:image/png;base64,", page.Find("[data-testid='logo-preview'] img").GetAttribute("src"));
        Assert.Equal(2048, Cognito.Requests<CreateBrandingPreviewRequest>().Single(r => r.ImageFile is not null).ImageFile!.Length);
        // Later previews name the stored logo instead of sending it again.
        Input(page, "theme-primary").Input("#00aa00");
        page.WaitForAssertion(() => Assert.Equal("#00aa00", Cognito.Requests<CreateBrandingPreviewRequest>().Last().Theme!.PrimaryColor), Wait);
        var stored = Cognito.Responses<CreateBrandingPreviewResponse>().First(r => r.LogoKey is not null).LogoKey;
        Assert.Equal(stored, Cognito.Requests<CreateBrandingPreviewRequest>().Last().LogoKey);
        Assert.Null(Cognito.Requests<CreateBrandingPreviewRequest>().Last().ImageFile);
    }

    [Fact]
    public void Save_publishes_the_css_and_logo_then_the_theme()
    {
        var page = RenderBranding();
        Input(page, "css-editor").Input(".banner-customizable { background-color: #123456; }");
        Input(page, "theme-primary").Input("#ff0000");
        page.WaitForAssertion(() => Assert.Equal("#ff0000", Cognito.Requests<CreateBrandingPreviewRequest>().Last().Theme!.PrimaryColor), Wait);
        Press(page, "save-branding");
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("Published", page.Find("[data-testid='save-result']").TextContent), Wait);

        var sent = Cognito.Sent.Where(r => r is SetUICustomizationRequest or SetHostedUiThemeRequest).ToList();
        Assert.Equal(2, sent.Count);
        var ui = Assert.IsType<SetUICustomizationRequest>(sent[0]);
        var theme = Assert.IsType<SetHostedUiThemeRequest>(sent[1]);
        Assert.Equal(pool, ui.UserPoolId);
        Assert.Equal("ALL", ui.ClientId);
        Assert.Equal(".banner-customizable { background-color: #123456; }", ui.CSS);
        Assert.Equal("#ff0000", theme.Theme!.PrimaryColor);
        Assert.Empty(page.FindAll("[data-testid='unsaved']"));
    }

    [Fact]
    public void A_refused_save_says_what_was_not_published()
    {
        var page = RenderBranding();
        Cognito.Fail = r => r is SetHostedUiThemeRequest ? new InvalidParameterException("The hosted UI theme is not valid: FooterLinks[0].Url must be an https:// address.") : null;
        Input(page, "theme-primary").Input("#ff0000");
        page.WaitForAssertion(() => Assert.Equal("#ff0000", Cognito.Requests<CreateBrandingPreviewRequest>().Last().Theme!.PrimaryColor), Wait);
        Press(page, "save-branding");
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Contains("the theme was not saved", page.Find("[data-testid='save-result']").TextContent), Wait);
        Assert.Contains("https:// address. (InvalidParameterException)", page.Find("[data-testid='save-result']").TextContent);
    }

    [Fact]
    public void Discard_goes_back_to_what_is_published()
    {
        var page = RenderBranding();
        Input(page, "theme-primary").Input("#ff0000");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='unsaved']")), Wait);
        Press(page, "discard-branding");
        AnswerDialog(confirm: true);
        page.WaitForAssertion(() => Assert.Equal("#1f6feb", Input(page, "theme-primary").GetAttribute("value")), Wait);
        Assert.Empty(page.FindAll("[data-testid='unsaved']"));
        Assert.Empty(Cognito.Requests<SetUICustomizationRequest>());
    }
}
