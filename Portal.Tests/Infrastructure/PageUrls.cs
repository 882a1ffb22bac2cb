using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>Waits for a page to be at an address by polling its URL. Playwright's WaitForURL waits for a navigation and
/// then for its load event: on a loaded machine a redirect chain can finish before the wait starts, and the wait then
/// times out on a page that is already there.</summary>
public static class PageUrls
{
    public static async Task Reach(this IPage page, Func<string, bool> reached, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!reached(page.Url))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The page did not reach the expected address in {timeoutMs} ms; it is at {page.Url}.");
            await Task.Delay(50);
        }
    }

    public static Task Reach(this IPage page, string url, int timeoutMs = 30_000) => page.Reach(u => u == url, timeoutMs);

    public static Task Reach(this IPage page, Regex url, int timeoutMs = 30_000) => page.Reach(url.IsMatch, timeoutMs);
}
