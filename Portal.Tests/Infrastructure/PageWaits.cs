using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>Waits on what a page shows, never on the clock: a screenshot or an accessibility scan waits for the page's
/// transitions (a theme switch, a drawer closing, a tooltip fading) to end rather than for a guessed number of
/// milliseconds.</summary>
public static class PageWaits
{
    /// <summary>Until no finite CSS animation or transition is running (spinners, which never end, are left out).
    /// A page that keeps animating past the timeout is taken as it is, as a fixed delay would have taken it.</summary>
    public static async Task AnimationsDone(this IPage page, int timeoutMs = 5_000)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)",
                null, new() { Timeout = timeoutMs, PollingInterval = 50 });
        }
        catch (TimeoutException) { }
    }

    /// <summary>True once the locator is visible, false when <paramref name="timeoutMs"/> passes first: for loops that
    /// click until a prerendered page's circuit answers.</summary>
    public static async Task<bool> Shows(this ILocator locator, int timeoutMs)
    {
        try
        {
            await locator.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = timeoutMs });
            return true;
        }
        catch (TimeoutException) { return false; }
    }
}
