using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>axe-core over every portal page, in the light and the dark theme: no serious or critical violation.</summary>
[Collection(ServerCollection.Name)]
public sealed class PortalAxeTests(PortalServer server, Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    internal static readonly Lazy<string> AxeScript = new(() =>
        File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "node_modules", "axe-core", "axe.min.js")));

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Every_portal_page_has_no_serious_accessibility_violation(string theme)
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var sample = await SamplePool(server);
        var page = await browser.NewPage(1280, 800);
        page.SetDefaultTimeout(30_000);
        await PortalSignIn.AsAdministrator(page, server);
        // Injected before any page script: axe is there on every load, and the theme toggle needs no reload.
        await page.Context.AddInitScriptAsync(AxeScript.Value);

        var found = new List<string>();
        foreach (var (name, path) in Pages(sample))
        {
            if (await Settle(page, server.BaseUrl + path) is null)
            {
                found.Add($"{name} ({path}): the page does not exist");
                continue;
            }
            if (theme == "dark") await Dark(page);
            var violations = await Serious(page);
            output.WriteLine($"{name} ({path}, {theme}): {(violations.Count == 0 ? "no serious violation" : string.Join("; ", violations))}");
            found.AddRange(violations.Select(v => $"{name} ({path}, {theme}): {v}"));
        }
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>The app bar's theme toggle, then waits for the page's background to turn dark.</summary>
    internal static async Task Dark(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle dark theme" }).ClickAsync();
        await page.WaitForFunctionAsync(
            "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128; }");
        await page.AnimationsDone();
    }

    internal static async Task<List<string>> Serious(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ((n.any[0] && n.any[0].data && n.any[0].data.contrastRatio) ? ` [${n.any[0].data.fgColor} on ${n.any[0].data.bgColor}, ${n.any[0].data.contrastRatio}:1, text \"${(document.querySelector(n.target[0])?.innerText ?? '').slice(0, 30)}\"]` : '')).join(', ') + (v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : '') }))");
        return json.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {v.GetProperty("nodes").GetString()}")
            .ToList();
    }
}
