using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>Every portal page on a tablet (768×1024) and a small laptop (1280×720): no sideways scrolling of the page,
/// the navigation within reach, and the keyboard reaches each page's main action with Tab.</summary>
[Collection(ServerCollection.Name)]
public sealed class ResponsiveTests(PortalServer server, Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    /// <summary>The main action of a page, by its short name in <see cref="ScenarioPortal.Pages"/>.</summary>
    static readonly Dictionary<string, string> MainAction = new()
    {
        ["pools"] = "create-pool",
        ["create-pool"] = "wizard-next",
        ["users"] = "create-user",
        ["user-detail"] = "action-disable",
        ["groups"] = "create-group",
        ["group-members"] = "member-add",
        ["clients"] = "create-client",
        ["client-editor"] = "client-save",
    };

    [Theory]
    [InlineData(768, 1024)]
    [InlineData(1280, 720)]
    public async Task Every_portal_page_fits_the_width_keeps_the_navigation_in_reach_and_answers_the_keyboard(int width, int height)
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var sample = await SamplePool(server);
        var page = await browser.NewPage(width, height);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);

        var problems = new List<string>();
        var loaded = false;
        foreach (var (name, path) in Pages(sample))
        {
            // The first page starts the circuit; the others are opened inside it, as the navigation's links open them.
            if (await (loaded ? Open(page, server.BaseUrl, path) : Settle(page, server.BaseUrl + path)) is null)
            {
                problems.Add($"{name} ({path}): the page does not exist");
                continue;
            }
            loaded = true;
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (widths[0] > widths[1])
            {
                var wide = await page.EvaluateAsync<string>(
                    "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
                    ".slice(-3).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).slice(0, 2).join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px').join(', ')");
                problems.Add($"{name} ({width}×{height}): the page scrolls sideways, {widths[0]}px wide in a {widths[1]}px window ({wide})");
            }

            // The navigation: visible, or one click on the menu button away.
            var users = page.GetByRole(AriaRole.Navigation, new() { Name = "Portal sections" }).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true });
            if (!await users.IsVisibleAsync())
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
                try { await users.WaitForAsync(new() { Timeout = 5000 }); }
                catch (TimeoutException) { problems.Add($"{name} ({width}×{height}): the navigation is not reachable"); }
                await page.Keyboard.PressAsync("Escape");
                try { await users.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 5000 }); }
                catch (TimeoutException) { }
                await page.AnimationsDone();
            }

            if (MainAction.TryGetValue(name, out var action))
            {
                var tabs = await TabTo(page, action, 120);
                output.WriteLine($"{name} ({width}×{height}): {widths[0]}/{widths[1]} px; {(tabs is null ? $"Tab never reaches {action}" : $"{action} after {tabs} Tab presses")}");
                if (tabs is null) problems.Add($"{name} ({width}×{height}): Tab never reaches {action}");
            }
            else output.WriteLine($"{name} ({width}×{height}): {widths[0]}/{widths[1]} px");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Opens a page inside the running circuit (the router renders it, as a click on a navigation link does, without
    /// loading the document and its scripts again) and lets it finish loading its data.</summary>
    /// <returns>The HTTP status, or null when the page does not exist (404).</returns>
    static async Task<int?> Open(IPage page, string baseUrl, string path)
    {
        var probe = await page.Context.APIRequest.GetAsync(baseUrl + path, new() { MaxRedirects = 0 });
        if (probe.Status == 404) return null;
        // The page shown now is marked: the next one is there once the router has replaced its content (a page may add
        // its remembered pool to the query, so only the path is compared).
        const string Content = ".mud-main-content > .mud-container";
        await page.EvaluateAsync($"() => document.querySelectorAll('{Content} > *').forEach(e => e.setAttribute('data-left', ''))");
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        await page.WaitForFunctionAsync(
            $"path => location.pathname === new URL(path, location.origin).pathname && !document.querySelector('{Content} > [data-left]') && !!document.querySelector('{Content} > *')",
            path);
        await Settled(page);
        return 200;
    }

    /// <summary>How many Tab presses from the top of the page bring the focus onto the element with the test id.</summary>
    static async Task<int?> TabTo(IPage page, string testId, int most)
    {
        // Focus starts on a stand-in at the very top of the document, so the count is from the page's first Tab. The page
        // counts the presses and notes the one that brought the focus onto the element, so the presses go in batches
        // instead of each waiting for a look at the focus.
        await page.EvaluateAsync("""
            testId => {
                const a = document.createElement('a'); a.href = '#'; a.id = 'tab-start'; a.textContent = 'start'; document.body.prepend(a); a.focus();
                const count = window.tabCount = { presses: 0, reached: 0, stop: new AbortController() };
                const options = { capture: true, signal: count.stop.signal };
                document.addEventListener('keydown', e => { if (e.key === 'Tab') count.presses++; }, options);
                document.addEventListener('focusin', e => {
                    if (!count.reached && e.target instanceof Element && e.target.closest(`[data-testid="${testId}"]`)) count.reached = count.presses;
                }, options);
            }
            """, testId);
        int reached;
        var pressed = 0;
        do
        {
            for (var batch = 0; batch < 10 && pressed < most; batch++, pressed++) await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<int>("() => window.tabCount.reached");
        }
        while (reached == 0 && pressed < most);
        await page.EvaluateAsync("() => { window.tabCount.stop.abort(); document.getElementById('tab-start')?.remove(); }");
        return reached == 0 ? null : reached;
    }
}
