using Bunit;
using MudBlazor.Services;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

/// <summary>Sections Portal does not serve yet must say so, and never claim the operations work through the API.
/// (Identity pools left this list when its pages were built: IdentityPoolPagesTests.)</summary>
public sealed class ComingSectionTests : IAsyncLifetime
{
    readonly BunitContext ctx = new();

    public Task InitializeAsync()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await ctx.DisposeAsync();

    [Fact]
    public void Sync_page_says_the_service_is_not_available()
    {
        var text = ctx.Render<global::Portal.Client.Pages.Sync>().Find(".mud-alert").TextContent;
        Assert.Contains("Not available yet", text);
        Assert.Contains("cognito-sync", text);
        Assert.DoesNotContain("are available", text);
    }
}
