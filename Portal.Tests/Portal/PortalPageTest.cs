using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Client.Contract;

namespace Portal.Tests.Portal;

/// <summary>Renders portal pages against the real engine (<see cref="EngineCognito"/>), with MudBlazor's popover and dialog
/// providers rendered beside them (menus, selects and dialogs appear there, as in the layout).</summary>
public abstract class PortalPageTest : IAsyncLifetime
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    protected readonly BunitContext Ctx = new();
    /// <summary>The engine the page talks to: the real dispatcher on a temporary SQLite store, the one the component tests
    /// share unless the test asked for its own (<see cref="UseOwnEngine"/>) before its first use.</summary>
    protected ITestCognito Cognito
    {
        get
        {
            lock (engineGate) return engine ??= new EngineCognito(own);
        }
    }
    /// <summary>The pages' clock: real time, until a test takes it over with <see cref="TestClock.Fake"/> to step through
    /// debounces and polls without depending on how fast a loaded machine runs.</summary>
    protected readonly TestClock Clock = new();
    protected IRenderedComponent<MudPopoverProvider> Popovers = default!;
    protected IRenderedComponent<MudDialogProvider> Dialogs = default!;

    readonly object engineGate = new();
    EngineCognito? engine;
    bool own;

    /// <summary>For a test whose page shows every pool of the engine (how many there are, which is first, each one's user
    /// count): a Portal of its own for this test instead of the one the other component tests share. Call it first.</summary>
    protected void UseOwnEngine()
    {
        lock (engineGate)
        {
            if (engine is not null) throw new InvalidOperationException("The test already uses the shared engine.");
            own = true;
        }
    }

    public Task InitializeAsync()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddSingleton<ICognito>(_ => Cognito);
        Ctx.Services.AddSingleton<TimeProvider>(Clock);
        Popovers = Ctx.Render<MudPopoverProvider>();
        Dialogs = Ctx.Render<MudDialogProvider>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Ctx.DisposeAsync();
        engine?.Dispose();
    }

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
