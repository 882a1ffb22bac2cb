using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>axe-core (npm, installed in compat/) injected into a page by Playwright .NET.</summary>
public static class Axe
{
    static readonly Lazy<string> Script = new(() =>
        File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "compat", "node_modules", "axe-core", "axe.min.js")));

    /// <summary>Violations of impact serious or critical, one line each.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolations(IPage page)
    {
        // CSP forbids inline script on the hosted pages; bypass it for the audit only.
        await page.Context.AddInitScriptAsync(Script.Value);
        await page.ReloadAsync();
        var json = await page.EvaluateAsync<JsonElement>("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).join(', ') }))");
        return json.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at {v.GetProperty("nodes").GetString()}")
            .ToList();
    }
}
