using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Client.Contract;
using Portal.Client.Layout;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class LayoutTests : IAsyncLifetime
{
    readonly BunitContext ctx = new();

    public Task InitializeAsync()
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.AddAuthorization().SetAuthorized("admin");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await ctx.DisposeAsync();

    [Fact]
    public void Layout_shows_every_section_in_the_navigation()
    {
        var layout = ctx.Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddMarkupContent(0, "<p id='body'>content</p>")));
        var links = layout.FindAll("nav a, .mud-nav-link").Select(a => a.TextContent.Trim()).Where(t => t.Length > 0).ToList();
        foreach (var section in new[] { "Pools", "Users", "Groups", "App clients", "Branding", "Federation", "Triggers", "Identity pools", "Sync", "Audit" })
            Assert.Contains(section, links);
        Assert.NotNull(layout.Find("#body"));
    }

    [Fact]
    public void Pools_page_lists_pools_from_the_contract()
    {
        ctx.Services.AddSingleton<ICognito>(new OnePool());
        var page = ctx.Render<Pools>();
        page.WaitForAssertion(() => Assert.Contains("us-east-1_Abcdefghi", page.Markup));
        Assert.Contains("orders", page.Markup);
    }

    [Fact]
    public void Pools_page_shows_engine_errors_as_a_message()
    {
        ctx.Services.AddSingleton<ICognito>(new Failing());
        var page = ctx.Render<Pools>();
        page.WaitForAssertion(() => Assert.Contains("Could not list user pools: Rate exceeded", page.Markup));
    }

    /// <summary>The contract answered by a fixed page: the component is what is under test here.</summary>
    sealed class OnePool : ICognito
    {
        public Task<T> Send<T>(ICognitoRequest<T> request, CancellationToken ct = default) where T : new() =>
            Task.FromResult((T)(object)new ListUserPoolsResponse
            {
                UserPools = [new UserPoolDescriptionType { Id = "us-east-1_Abcdefghi", Name = "orders", Status = "Enabled" }],
            });
    }

    sealed class Failing : ICognito
    {
        public Task<T> Send<T>(ICognitoRequest<T> request, CancellationToken ct = default) where T : new() =>
            throw new TooManyRequestsException("Rate exceeded");
    }
}
