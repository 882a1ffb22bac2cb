using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Client.Contract;

namespace Portal.Tests.Portal;

/// <summary>Renders portal pages against the engine (<see cref="ITestCognito"/>), with MudBlazor's popover and dialog providers
/// rendered beside them (menus, selects and dialogs appear there, as in the layout).</summary>
public abstract class PortalPageTest : IAsyncLifetime
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    protected readonly BunitContext Ctx = new();
    /// <summary>The engine the page talks to: the real one (<see cref="EngineCognito"/>) for the classes that moved to it,
    /// the in-memory <see cref="FakeCognito"/> for the others, until they move too.</summary>
    protected readonly ITestCognito Cognito;
    /// <summary>The pages' clock: real time, until a test takes it over with <see cref="TestClock.Fake"/> to step through
    /// debounces and polls without depending on how fast a loaded machine runs.</summary>
    protected readonly TestClock Clock = new();
    protected IRenderedComponent<MudPopoverProvider> Popovers = default!;
    protected IRenderedComponent<MudDialogProvider> Dialogs = default!;

    protected PortalPageTest() => Cognito = RealEngine ? new EngineCognito() : new FakeCognito();

    /// <summary>True for test classes that run against the real engine.</summary>
    protected virtual bool RealEngine => false;

    public Task InitializeAsync()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddSingleton<ICognito>(Cognito);
        Ctx.Services.AddSingleton<TimeProvider>(Clock);
        Popovers = Ctx.Render<MudPopoverProvider>();
        Dialogs = Ctx.Render<MudDialogProvider>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Ctx.DisposeAsync();

    protected NavigationManager Nav => Ctx.Services.GetRequiredService<NavigationManager>();

    protected IEnumerable<string?> Snackbars => Ctx.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message);

    /// <summary>The element with this data-testid, or the input inside it (MudBlazor puts the attribute on the wrapper).</summary>
    protected static IElement Input<T>(IRenderedComponent<T> page, string testId) where T : IComponent
    {
        var host = page.Find($"[data-testid='{testId}']");
        return host.TagName is "INPUT" or "TEXTAREA" ? host : host.QuerySelector("input, textarea") ?? host;
    }

    protected static IElement Button<T>(IRenderedComponent<T> page, string testId) where T : IComponent
    {
        var host = page.Find($"[data-testid='{testId}']");
        return host.TagName == "BUTTON" ? host : host.QuerySelector("button") ?? host;
    }

    /// <summary>Finds and clicks the button in one step on the renderer: a page that re-renders on its own (a debounced
    /// preview, a poll) cannot swap the button between the find and the click.</summary>
    protected static void Press<T>(IRenderedComponent<T> page, string testId) where T : IComponent =>
        page.InvokeAsync(() => Button(page, testId).Click()).GetAwaiter().GetResult();

    /// <summary>The button whose text is <paramref name="text"/>.</summary>
    protected static IElement ButtonWithText<T>(IRenderedComponent<T> page, string text) where T : IComponent =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text);

    /// <summary>Opens the MudTabs panel whose header is <paramref name="text"/>.</summary>
    protected static void Tab<T>(IRenderedComponent<T> page, string text) where T : IComponent =>
        page.FindAll(".mud-tab").First(t => t.TextContent.Trim() == text).Click();

    /// <summary>Confirms or cancels the confirmation dialog that is open.</summary>
    protected void AnswerDialog(bool confirm)
    {
        Dialogs.WaitForElement("[data-testid='confirm-ok']", Wait);
        Dialogs.Find(confirm ? "[data-testid='confirm-ok']" : "[data-testid='confirm-cancel']").Click();
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("[data-testid='confirm-ok']")), Wait);
    }

    /// <summary>Opens a MudSelect and picks the item with this text.</summary>
    protected void Choose<T>(IRenderedComponent<T> page, string selectTestId, string itemText) where T : IComponent
    {
        var host = page.Find($"[data-testid='{selectTestId}']");
        (host.Closest(".mud-select") ?? host.QuerySelector(".mud-select")!).MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == itemText), Wait);
        Popovers.FindAll(".mud-list-item").First(i => i.TextContent.Trim() == itemText).Click();
    }
}

/// <summary>System time, or a <see cref="FakeTimeProvider"/> once a test sets <see cref="Fake"/>.</summary>
public sealed class TestClock : TimeProvider
{
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider? Fake { get; set; }
    TimeProvider Now => Fake ?? System;
    public override DateTimeOffset GetUtcNow() => Now.GetUtcNow();
    public override long GetTimestamp() => Now.GetTimestamp();
    public override long TimestampFrequency => Now.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => Now.LocalTimeZone;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Now.CreateTimer(callback, state, dueTime, period);
}
