using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>One Debian chromium per test class, driven by Playwright.</summary>
public sealed class Browser : IAsyncLifetime
{
    IPlaywright? playwright;
    public IBrowser Instance { get; private set; } = null!;
    public static string ScreenshotFolder { get; } = Path.Combine(PortalServer.RepositoryRoot, "artifacts", "screenshots");

    /// <summary>How long an expectation waits, for every test: a page's circuit can take seconds to answer on a loaded
    /// 2-core CI machine, and Playwright's 5 s default then fails a test that is right.</summary>
    public static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(20);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)ExpectTimeout.TotalMilliseconds);
        playwright = await Playwright.CreateAsync();
        Instance = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task<IPage> NewPage(int width = 1280, int height = 800)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Instance.DisposeAsync();
        playwright?.Dispose();
    }
}
