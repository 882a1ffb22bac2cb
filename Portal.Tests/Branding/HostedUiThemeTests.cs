using System.Net;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>Portal's theme beyond Cognito: validated field by field, stored beside the Cognito customization, read with
/// the same client → ALL fallback, exposed as PortalAdmin.* operations.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostedUiThemeTests(PortalServer server)
{
    readonly ICognito cognito = BrandedPool.Cognito(server);
    readonly ThemePolicy policy = new();

    static HostedUiTheme Theme => new()
    {
        PrimaryColor = "#0B5CAB",
        BackgroundColor = "#f4f6fb",
        TextColor = "#1c2233",
        FontFamily = "Georgia",
        CornerRadius = 6,
        PageTitle = " Acme Accounts ",
        FooterLinks = [new FooterLink { Label = "Privacy", Url = "https://acme.example/privacy" }, new FooterLink { Label = "Help", Url = "https://acme.example/help?from=login" }],
        Pages = new() { ["login"] = new PageText { Heading = "Welcome back", Description = "Sign in with your Acme account." }, ["signup"] = new PageText { Heading = "Join Acme" } },
        DefaultLocale = "de",
    };

    [Fact]
    public void Operations_are_portal_only_targets()
    {
        Assert.Equal("PortalAdmin.SetHostedUiTheme", Operations.TargetOf(typeof(SetHostedUiThemeRequest)));
        Assert.Equal("PortalAdmin.GetHostedUiTheme", Operations.TargetOf(typeof(GetHostedUiThemeRequest)));
        Assert.Equal(typeof(SetHostedUiThemeRequest), Operations.Find("PortalAdmin.SetHostedUiTheme"));
        Assert.Null(Operations.Find("AWSCognitoIdentityProviderService.SetHostedUiTheme"));
    }

    [Fact]
    public async Task Theme_is_stored_normalised_and_read_back_with_fallback_to_ALL()
    {
        var pool = await BrandedPool.Create(cognito);
        var set = (await cognito.Send(new SetHostedUiThemeRequest { UserPoolId = pool.PoolId, Theme = Theme })).HostedUiTheme!;
        Assert.Equal("ALL", set.ClientId);
        Assert.Equal("#0b5cab", set.Theme!.PrimaryColor);
        Assert.Equal("Acme Accounts", set.Theme.PageTitle);

        var forClient = (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!;
        Assert.Equal("ALL", forClient.ClientId);
        Assert.Equal("Georgia", forClient.Theme!.FontFamily);
        Assert.Equal(2, forClient.Theme.FooterLinks!.Count);
        Assert.Equal("Welcome back", forClient.Theme.Pages!["login"].Heading);
        Assert.Equal("de", forClient.Theme.DefaultLocale);

        await cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = pool.PoolId, ClientId = pool.ClientId, Theme = new HostedUiTheme { PrimaryColor = "#aa0000" }, BackgroundImageFile = TestImages.Png(64, 32),
        });
        var own = (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!;
        Assert.Equal(pool.ClientId, own.ClientId);
        Assert.Equal("#aa0000", own.Theme!.PrimaryColor);
        Assert.Null(own.Theme.FontFamily);
        Assert.NotNull(own.Theme.BackgroundImageKey);
        using var image = await new HttpClient().GetAsync(own.BackgroundImageUrl);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);

        // The theme and Cognito's customization share the row without overwriting each other.
        await cognito.Send(new SetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId, CSS = ".label-customizable { color: #000000; }" });
        Assert.Equal("#aa0000", (await cognito.Send(new GetHostedUiThemeRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).HostedUiTheme!.Theme!.PrimaryColor);
        Assert.NotNull((await cognito.Send(new GetUICustomizationRequest { UserPoolId = pool.PoolId, ClientId = pool.ClientId })).UICustomization!.CSS);
    }

    [Fact]
    public async Task A_theme_may_keep_an_existing_background_but_not_name_a_missing_one()
    {
        var pool = await BrandedPool.Create(cognito);
        var first = (await cognito.Send(new SetHostedUiThemeRequest { UserPoolId = pool.PoolId, Theme = new HostedUiTheme(), BackgroundImageFile = TestImages.Jpeg() })).HostedUiTheme!;
        var key = first.Theme!.BackgroundImageKey!;
        var kept = (await cognito.Send(new SetHostedUiThemeRequest { UserPoolId = pool.PoolId, Theme = new HostedUiTheme { BackgroundImageKey = key, CornerRadius = 0 } })).HostedUiTheme!;
        Assert.Equal(key, kept.Theme!.BackgroundImageKey);
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = pool.PoolId, Theme = new HostedUiTheme { BackgroundImageKey = "0000000000000000nosuchimage.png" },
        }));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task Invalid_theme_is_refused_over_the_wire_naming_the_field()
    {
        var pool = await BrandedPool.Create(cognito);
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = pool.PoolId,
            Theme = new HostedUiTheme { FontFamily = "Comic Sans", FooterLinks = [new FooterLink { Label = "Terms", Url = "http://acme.example/terms" }] },
        }));
        Assert.Contains("FontFamily 'Comic Sans'", e.Message);
        Assert.Contains("FooterLinks[0].Url must be an https:// address", e.Message);

        var color = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new SetHostedUiThemeRequest
        {
            UserPoolId = pool.PoolId, Theme = new HostedUiTheme { PrimaryColor = "red" },
        }));
        Assert.Contains("primaryColor", color.Message);
    }

    public static TheoryData<HostedUiTheme, string> InvalidThemes => new()
    {
        { new HostedUiTheme { PrimaryColor = "#12345" }, "PrimaryColor must be a colour written #rrggbb" },
        { new HostedUiTheme { BackgroundColor = "rgb(0,0,0)" }, "BackgroundColor must be a colour written #rrggbb" },
        { new HostedUiTheme { TextColor = "#12345g" }, "TextColor must be a colour written #rrggbb" },
        { new HostedUiTheme { FontFamily = "url(x)" }, "is not one of the safe fonts" },
        { new HostedUiTheme { CornerRadius = 99 }, "CornerRadius must be between 0 and 24" },
        { new HostedUiTheme { BackgroundImageKey = "../secret" }, "BackgroundImageKey '../secret' is not an asset key" },
        { new HostedUiTheme { PageTitle = new string('x', 65) }, "PageTitle is 65 characters; at most 64" },
        { new HostedUiTheme { PageTitle = "a\u0007b" }, "PageTitle contains a control character" },
        { new HostedUiTheme { FooterLinks = [.. Enumerable.Repeat(new FooterLink { Label = "x", Url = "https://x.example" }, 6)] }, "at most 5 are allowed" },
        { new HostedUiTheme { FooterLinks = [new FooterLink { Label = "", Url = "https://x.example" }] }, "FooterLinks[0].Label must not be empty" },
        { new HostedUiTheme { FooterLinks = [new FooterLink { Label = "x", Url = "javascript:alert(1)" }] }, "FooterLinks[0].Url must be an https:// address" },
        { new HostedUiTheme { FooterLinks = [new FooterLink { Label = "x", Url = "https://user:pw@x.example" }] }, "must not contain a user name or password" },
        { new HostedUiTheme { Pages = new() { ["admin"] = new PageText { Heading = "x" } } }, "unknown page 'admin'" },
        { new HostedUiTheme { Pages = new() { ["login"] = new PageText { Heading = new string('h', 101) } } }, "Pages.login.Heading is 101 characters" },
        { new HostedUiTheme { Pages = new() { ["login"] = new PageText { Description = new string('d', 501) } } }, "Pages.login.Description is 501 characters" },
        { new HostedUiTheme { DefaultLocale = "english" }, "DefaultLocale 'english' is not a language tag" },
    };

    [Theory]
    [MemberData(nameof(InvalidThemes))]
    public void Every_field_is_validated(HostedUiTheme theme, string expected)
    {
        Assert.Contains(policy.Check(theme), p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(expected, Assert.Throws<InvalidParameterException>(() => policy.Normalize(theme)).Message);
    }

    [Fact]
    public void Accepted_theme_becomes_the_base_stylesheets_custom_properties()
    {
        Assert.Empty(policy.Check(Theme));
        Assert.Equal("--portal-primary: #0b5cab; --portal-background: #f4f6fb; --portal-text: #1c2233; " +
                     "--portal-font: Georgia, \"Times New Roman\", serif; --portal-radius: 6px;", policy.Style(Theme));
        Assert.Equal("", policy.Style(new HostedUiTheme()));
        Assert.Empty(policy.Check(new HostedUiTheme { Pages = new() { ["logout"] = new PageText { Description = "Line one\nLine two" } } }));
    }
}
