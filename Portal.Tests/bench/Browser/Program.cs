// The portal's browser benchmark, run by ../portal.sh with a running Portal (never by the test suite):
//   Browser --endpoint URL --data FOLDER --seed-dll Seed.dll [--users N] [--loads N] [--searches N] [--admin-password P]
// It creates a pool through the API (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), fills it with N users with ../Seed,
// signs in to the portal in Debian's chromium through the administration pool's hosted UI, and times, in the page
// itself (performance.now(), whose zero is the navigation's start):
//   - the users page opened by address: navigation start → first grid rows in the DOM (a new page, a new circuit);
//   - the users page reached from the navigation menu, the circuit already up: click → first grid rows;
//   - an email-prefix search: the input event of the search box → every row shown matches the prefix.
// Prints a Markdown table (p50 / p95 / min / max) on stdout; progress on stderr.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Client.Remote;

var endpoint = Option("--endpoint").TrimEnd('/');
var data = Option("--data");
var seedDll = Option("--seed-dll");
var users = int.Parse(Option("--users", "1000000"), CultureInfo.InvariantCulture);
var loads = int.Parse(Option("--loads", "10"), CultureInfo.InvariantCulture);
var searches = int.Parse(Option("--searches", "15"), CultureInfo.InvariantCulture);
var adminPassword = Option("--admin-password", "Admin-Passw0rd!");
const int Warmups = 2;

var cognito = new RemoteCognito(new HttpClient { BaseAddress = new(endpoint + "/") },
    new RemoteCognito.Credentials(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? throw new ArgumentException("AWS_ACCESS_KEY_ID is not set"),
        Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? throw new ArgumentException("AWS_SECRET_ACCESS_KEY is not set")));
// "bench" sorts before "demo" and "portal-admin": the users page opened from the menu chooses it by itself.
var pool = (await cognito.Send(new CreateUserPoolRequest { PoolName = "bench", AliasAttributes = ["email"] })).UserPool!.Id!;
Log($"seeding {users:N0} users into {pool} (Seed, direct SQLite inserts)...");
var seeded = JsonDocument.Parse(Run("dotnet", seedDll, "seed", "--data", data, "--pool", pool, "--users", users.ToString(CultureInfo.InvariantCulture))).RootElement;
var seedSeconds = seeded.GetProperty("seconds").GetDouble();
Log($"seeded in {seedSeconds:N1} s");
var estimated = (await cognito.Send(new DescribeUserPoolRequest { UserPoolId = pool })).UserPool!.EstimatedNumberOfUsers;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null,
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
var page = await context.NewPageAsync();
page.SetDefaultTimeout(120_000);
var chromium = browser.Version;

Log("signing in through the hosted UI...");
await page.GotoAsync(endpoint + "/");
await page.WaitForURLAsync(url => url.Contains("/portal-admin/login"));
await page.GetByLabel("Username or email").FillAsync("admin");
await page.GetByLabel("Password", new() { Exact = true }).FillAsync(adminPassword);
await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await page.WaitForURLAsync(url => url.StartsWith(endpoint, StringComparison.Ordinal) && !url.Contains("/portal-admin/") && !url.Contains("signin-oidc"));

// In the page from its first byte: when the first grid row appears, when the search box gets input, and when the
// rows all match the prefix being searched for.
await context.AddInitScriptAsync("""
    window.__bench = { rowsAt: null, clickAt: null, typedAt: null, expect: null, updatedAt: null };
    const rows = () => document.querySelectorAll('[data-testid=users-grid] tbody tr.mud-table-row');
    new MutationObserver(() => {
      const b = window.__bench, found = rows();
      if (b.rowsAt === null && found.length > 0) b.rowsAt = performance.now();
      if (b.expect !== null && found.length > 0 && [...found].every(r => r.cells.length > 1 && r.cells[1].innerText.trim().toLowerCase().startsWith(b.expect))) {
        b.updatedAt = performance.now();
        b.expect = null;
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
    document.addEventListener('input', e => { if (e.target.closest && e.target.closest('[data-testid=search-text]')) window.__bench.typedAt = performance.now(); }, true);
    document.addEventListener('click', e => { if (e.target.closest && e.target.closest('a[href="users"]')) { window.__bench.clickAt = performance.now(); window.__bench.rowsAt = null; } }, true);
    """);

var usersUrl = $"{endpoint}/users?pool={Uri.EscapeDataString(pool)}";
const string RowsShown = "() => window.__bench.rowsAt !== null";

Log($"users page by address, {Warmups} + {loads} loads...");
var byAddress = new List<double>();
for (var i = 0; i < Warmups + loads; i++)
{
    await page.GotoAsync(usersUrl);
    await Wait(RowsShown);
    var ms = await page.EvaluateAsync<double>("() => window.__bench.rowsAt");
    if (i >= Warmups) byAddress.Add(ms);
}
var firstRows = await page.Locator("[data-testid=users-grid] tbody tr.mud-table-row").CountAsync();

Log($"users page from the menu, {Warmups} + {loads} clicks...");
var byMenu = new List<double>();
for (var i = 0; i < Warmups + loads; i++)
{
    await page.GotoAsync($"{endpoint}/audit");
    await Wait("() => !!(window.mudpopoverHelper && window.mudpopoverHelper.mainContainerClass)");
    await page.GetByRole(AriaRole.Navigation, new() { Name = "Portal sections" }).GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
    await Wait("() => window.__bench.clickAt !== null && window.__bench.rowsAt !== null");
    var ms = await page.EvaluateAsync<double>("() => window.__bench.rowsAt - window.__bench.clickAt");
    if (!page.Url.Contains(pool)) throw new InvalidOperationException($"the menu opened {page.Url}, not the bench pool");
    if (i >= Warmups) byMenu.Add(ms);
}

// Prefixes of the Seed's first names, each different from the one before so the rows must change.
string[] prefixes = ["ada", "ala", "ami", "ben", "car", "dan", "eli", "emm", "fel", "gra", "hug", "jul", "lau", "mar", "nin", "osc", "pri", "raf", "sof", "tho", "vic", "wil", "yar", "zoe"];
Log($"email-prefix searches, {Warmups} + {searches}...");
await page.GotoAsync(usersUrl);
await Wait(RowsShown);
await Wait("() => !!(window.mudpopoverHelper && window.mudpopoverHelper.mainContainerClass)");
var search = page.Locator("input[data-testid='search-text'], [data-testid='search-text'] input").First;
var searched = new List<double>();
var matched = new List<int>();
for (var i = 0; i < Warmups + searches; i++)
{
    var prefix = prefixes[i % prefixes.Length];
    await page.EvaluateAsync("p => { window.__bench.updatedAt = null; window.__bench.typedAt = null; window.__bench.expect = p; }", prefix);
    await search.FillAsync(prefix);
    await Wait("() => window.__bench.updatedAt !== null");
    var ms = await page.EvaluateAsync<double>("() => window.__bench.updatedAt - window.__bench.typedAt");
    if (i >= Warmups)
    {
        searched.Add(ms);
        matched.Add(await page.Locator("[data-testid=users-grid] tbody tr.mud-table-row").CountAsync());
    }
}

var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
Console.WriteLine($"Portal admin portal in the browser: chromium {chromium} (Playwright .NET, headless), 1280×800; {Environment.ProcessorCount} cores, load average {string.Join(" ", load)} at the end.");
Console.WriteLine($"Pool of {users:N0} users (EstimatedNumberOfUsers {estimated:N0}), seeded in {seedSeconds:N0} s. Times in ms, measured in the page (performance.now()).");
Console.WriteLine();
Console.WriteLine("| figure | runs | p50 | p95 | min | max |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
Row($"users page by address: navigation start → first {firstRows} rows", byAddress);
Row("users page from the menu (circuit up): click → first rows", byMenu);
Row($"email-prefix search: input → rows all matching ({matched.Min()}–{matched.Max()} rows; includes the page's 400 ms debounce)", searched);
Row("the same search without the 400 ms debounce", searched.Select(s => s - 400).ToList());
return 0;

void Row(string name, List<double> ms)
{
    var sorted = ms.Order().ToList();
    Console.WriteLine($"| {name} | {ms.Count} | {Pct(sorted, 50):N0} | {Pct(sorted, 95):N0} | {sorted[0]:N0} | {sorted[^1]:N0} |");
}

// A wait that, when it times out, says what the page showed instead.
async Task Wait(string condition)
{
    try
    {
        await page.WaitForFunctionAsync(condition);
    }
    catch (TimeoutException)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "portal-bench-browser-timeout.png") });
        var text = await page.EvaluateAsync<string>("() => document.body.innerText.slice(0, 1500)");
        throw new TimeoutException($"waited in vain for {condition} on {page.Url}; the page showed:\n{text}");
    }
}

static double Pct(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

string Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
}

static void Log(string message) => Console.Error.WriteLine($"  · {message}");

static string Run(string file, params string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
    foreach (var a in arguments) start.ArgumentList.Add(a);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode})");
    return output.Trim().Split('\n')[^1];
}
