using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Client.Contract;
using Portal.Client.Layout;

namespace Portal.Tests.Testing;

/// <summary>Issue 21, the portal's Testing page against a real Portal in testing mode: the mailbox unmasked, reset and
/// clone, the curl snippets; the header chip and the navigation entry only while the mode is on.</summary>
[Collection(TestingCollection.Name)]
public sealed class TestingPageTests(TestingServer server) : IAsyncLifetime
{
    readonly BunitContext ctx = new();
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public Task InitializeAsync()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton<ICognito>(server.Cognito);
        ctx.Services.AddSingleton(server.Services.GetRequiredService<ITestingMode>());
        ctx.Services.AddSingleton<TimeProvider>(server.Clock);
        ctx.AddAuthorization().SetAuthorized("admin");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await ctx.DisposeAsync();

    [Fact]
    public async Task The_page_shows_codes_in_full_resets_and_clones_the_pool_and_lists_the_routes()
    {
        var (poolId, clientId) = await server.Pool();
        var email = $"page-{Guid.NewGuid():n}"[..17] + "@example.com";
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = email, Password = "Passw0rd!x", UserAttributes = [new() { Name = "email", Value = email }],
        });
        var code = (await server.Get($"/_portal/testing/mailbox?pool={poolId}")).GetProperty("Messages")[0].GetProperty("Code").GetString()!;

        ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"testing?pool={poolId}");
        var page = ctx.Render<global::Portal.Client.Pages.Testing>();
        page.WaitForAssertion(() => Assert.Equal(code, page.Find("[data-testid='testing-code']").TextContent.Trim()), Wait);
        Assert.Contains(email, page.Markup);
        Assert.DoesNotContain("••••••", page.Markup);
        var snippets = page.FindAll("[data-testid='testing-snippet']").Select(s => s.TextContent).ToList();
        Assert.Contains(snippets, s => s.Contains($"{server.BaseUrl}/_portal/testing/pools/{poolId}/reset", StringComparison.Ordinal));
        Assert.Contains(snippets, s => s.Contains($"{server.BaseUrl}/_aws/ses?email=", StringComparison.Ordinal));

        // Reset asks first: cancelled, nothing is deleted.
        page.Find("[data-testid='testing-reset']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete every user of " + poolId, dialogs.Find("[data-testid='confirm-message']").TextContent), Wait);
        dialogs.Find("[data-testid='confirm-cancel']").Click();
        Assert.Single((await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);
        page.Find("[data-testid='testing-reset']").Click();
        dialogs.WaitForElement("[data-testid='confirm-ok']", Wait).Click();
        page.WaitForAssertion(() => Assert.Contains("Reset: 1 user deleted", page.Find("[data-testid='testing-notice']").TextContent), Wait);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='testing-code']")), Wait);
        Assert.Empty((await server.Cognito.Send(new ListUsersRequest { UserPoolId = poolId })).Users!);

        page.Find("[data-testid='testing-clear']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete every message Portal sent for " + poolId, dialogs.Find("[data-testid='confirm-message']").TextContent), Wait);
        dialogs.Find("[data-testid='confirm-ok']").Click();
        page.WaitForAssertion(() => Assert.Contains("Cleared", page.Find("[data-testid='testing-notice']").TextContent), Wait);

        await page.Find("[data-testid='testing-clone']").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Matches("Cloned into us-east-1_[0-9A-Za-z]{9}", page.Find("[data-testid='testing-notice']").TextContent), Wait);
    }

    [Fact]
    public void The_header_shows_testing_mode_and_the_navigation_its_page_while_it_is_on()
    {
        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddMarkupContent(0, "<p>content</p>")));
        Assert.Contains("Testing mode", layout.Find("[data-testid='testing-chip']").TextContent);
        Assert.Contains("Testing", layout.FindAll(".mud-nav-link").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public async Task With_testing_mode_off_there_is_no_chip_no_entry_and_the_page_says_so()
    {
        await using var off = new BunitContext();
        off.JSInterop.Mode = JSRuntimeMode.Loose;
        off.Services.AddMudServices();
        off.Services.AddSingleton<ICognito>(server.Cognito);
        // The server's own implementation, configured off.
        off.Services.AddSingleton<ITestingMode>(new global::Portal.Server.Testing.PortalTestingMode(
            server.Services.GetRequiredService<IServiceScopeFactory>(), server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>(),
            Microsoft.Extensions.Options.Options.Create(new global::Portal.Server.Testing.TestingOptions { Enabled = false }),
            server.Services.GetRequiredService<global::Portal.Server.Auth.Issuer>()));
        off.AddAuthorization().SetAuthorized("admin");
        var layout = off.Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddMarkupContent(0, "<p>content</p>")));
        Assert.Empty(layout.FindAll("[data-testid='testing-chip']"));
        Assert.DoesNotContain("Testing", layout.FindAll(".mud-nav-link").Select(a => a.TextContent.Trim()));
        var page = off.Render<global::Portal.Client.Pages.Testing>();
        Assert.Contains("Testing mode is off", page.Find("[data-testid='testing-off']").TextContent);
    }
}
