using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>Draft previews: a draft goes in a token and comes out unchanged (but sanitised) for ten minutes; expired,
/// altered or foreign tokens read as nothing; a draft that would be refused on save gets no token.</summary>
[Collection(ServerCollection.Name)]
public sealed class BrandingPreviewTests(PortalServer server)
{
    static readonly IDataProtectionProvider Keys = new EphemeralDataProtectionProvider();

    static BrandingPreview Preview(TimeProvider clock, IDataProtectionProvider? keys = null) =>
        new(keys ?? Keys, new CssPolicy(), new ThemePolicy(), clock);

    static BrandingDraft Draft => new()
    {
        UserPoolId = "us-east-1_Draft0001",
        ClientId = "abcdefghijklmnopqrstuvwxyz",
        Css = ".submitButton-customizable { background-color: #ff6600; }",
        LogoKey = "0123456789abcdef0123456789abcdef.png",
        Theme = new HostedUiTheme { PrimaryColor = "#FF6600", PageTitle = "Draft", Pages = new() { ["login"] = new PageText { Heading = "Hello" } } },
    };

    [Fact]
    public void Draft_round_trips_sanitised()
    {
        var preview = Preview(TimeProvider.System);
        var token = preview.Create(Draft);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        var read = preview.TryRead(token)!;
        Assert.Equal(Draft.UserPoolId, read.UserPoolId);
        Assert.Equal(Draft.ClientId, read.ClientId);
        Assert.Equal(Draft.LogoKey, read.LogoKey);
        Assert.Equal(".submitButton-customizable { background-color: rgb(255, 102, 0) }", read.Css);
        Assert.Equal("#ff6600", read.Theme!.PrimaryColor);
        Assert.Equal("Hello", read.Theme.Pages!["login"].Heading);
    }

    [Fact]
    public void Token_expires_after_ten_minutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var preview = Preview(clock);
        var token = preview.Create(Draft);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull(preview.TryRead(token));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(preview.TryRead(token));
        // The protector's own expiry holds too: a token made "eleven minutes ago" is dead on the real clock.
        var old = Preview(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-11))).Create(Draft);
        Assert.Null(Preview(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-11))).TryRead(old));
    }

    [Fact]
    public void Altered_foreign_or_garbage_tokens_read_as_nothing()
    {
        var preview = Preview(TimeProvider.System);
        var token = preview.Create(Draft);
        var altered = token[..^6] + (token[^6] == 'A' ? 'B' : 'A') + token[^5..];
        Assert.Null(preview.TryRead(altered));
        Assert.Null(Preview(TimeProvider.System, new EphemeralDataProtectionProvider()).TryRead(token));
        Assert.Null(preview.TryRead("not a token"));
        Assert.Null(preview.TryRead(""));
        Assert.Null(preview.TryRead(null));
    }

    [Fact]
    public void Draft_that_would_be_refused_gets_no_token()
    {
        var preview = Preview(TimeProvider.System);
        Assert.Contains("@import", Assert.Throws<InvalidParameterException>(() => preview.Create(Draft with { Css = "@import url(/assets/x.css);" })).Message);
        Assert.Contains("PrimaryColor", Assert.Throws<InvalidParameterException>(() => preview.Create(Draft with { Theme = new HostedUiTheme { PrimaryColor = "#12" } })).Message);
        Assert.Throws<InvalidParameterException>(() => preview.Create(Draft with { LogoKey = "../portal.db" }));
    }

    [Fact]
    public void Largest_draft_fits_in_a_url()
    {
        var css = string.Concat(Enumerable.Range(0, 40).Select(i => $".label-customizable {{ color: #{i:x6}; }}\n"));
        var pages = HostedUiTheme.PageNames.ToDictionary(p => p, p => new PageText { Heading = new string('h', 100), Description = new string('d', 500) });
        var token = Preview(TimeProvider.System).Create(Draft with { Css = css, Theme = new HostedUiTheme { Pages = pages } });
        Assert.InRange(token.Length, 1, 4096);
    }

    [Fact]
    public void The_server_provides_the_service_with_its_shared_keys()
    {
        var preview = server.Services.GetRequiredService<BrandingPreview>();
        Assert.Equal("Draft", preview.TryRead(preview.Create(Draft))!.Theme!.PageTitle);
    }
}
