using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>What the end-to-end portal tests share: finding Mud controls by test id, waiting for snackbars,
/// bulk-loading users, and a small realistic pool to look at.</summary>
static class ScenarioPortal
{
    /// <summary>The text input of a Mud field carrying <paramref name="testId"/> (on the input or on its wrapper).</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden]), [data-testid='{testId}'] textarea").First;

    /// <summary>Fills a form's fields and checks they hold what was typed, typing again when not. A dialog's auto-focus
    /// arrives late through JavaScript: on a loaded machine it can take the focus while the next field is being typed
    /// into, and that text lands in the auto-focused field.</summary>
    public static async Task FillAll(IPage page, params (string TestId, string Value)[] fields)
    {
        for (var attempt = 1; ; attempt++)
        {
            foreach (var (id, value) in fields) await Field(page, id).FillAsync(value);
            var held = true;
            foreach (var (id, value) in fields) held &= await Field(page, id).InputValueAsync() == value;
            if (held) return;
            Assert.True(attempt < 5, "The form's fields did not keep what was typed.");
            // Type again once the late auto-focus has landed (inside the open dialog, when there is one).
            try
            {
                await page.WaitForFunctionAsync(
                    "() => { const d = document.querySelector('.mud-dialog'); return !d || d.contains(document.activeElement); }",
                    null, new() { Timeout = 2_000, PollingInterval = 50 });
            }
            catch (TimeoutException) { }
        }
    }

    public static ILocator Snackbar(IPage page, string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    public static ILocator Rows(IPage page, string gridTestId) => page.GetByTestId(gridTestId).Locator("tbody tr.mud-table-row");

    /// <summary>Opens a portal page and waits for its interactive circuit (MudBlazor's popover provider initialises only
    /// then): clicks and typing before that would land on the prerendered HTML and be lost.</summary>
    public static async Task Go(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Interactive(page);
    }

    /// <summary>Waits for a client-side navigation the click before it starts (the router changes the URL without a new
    /// document, and a loaded CI machine can take tens of seconds for the calls before it), and when the page shows its
    /// error instead, fails with what the operator reads there rather than with a bare timeout.</summary>
    public static async Task Arrive(IPage page, Regex url, string errorTestId)
    {
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 60_000 });
        }
        catch (PlaywrightException)
        {
            var error = page.GetByTestId(errorTestId);
            if (!await error.IsVisibleAsync()) throw;
            throw new InvalidOperationException($"The page stayed at {page.Url} and says: {await error.InnerTextAsync()}");
        }
    }

    public static Task Interactive(IPage page) =>
        page.WaitForFunctionAsync("() => !!(window.mudpopoverHelper && window.mudpopoverHelper.mainContainerClass)");

    /// <summary>Opens a page and lets it finish loading its data (no progress bar or table loader left), so what is
    /// checked or photographed is the page an operator looks at.</summary>
    /// <returns>The HTTP status, or null when the page does not exist (404).</returns>
    public static async Task<int?> Settle(IPage page, string url)
    {
        // A page not built yet answers 404 with no body, and chromium's own error page would then race the next
        // navigation: ask first, with the browser's cookies, and do not go there.
        var probe = await page.Context.APIRequest.GetAsync(url, new() { MaxRedirects = 0 });
        if (probe.Status == 404) return null;
        await page.GotoAsync(url);
        await Interactive(page);
        await Settled(page);
        return 200;
    }

    public static async Task Settled(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.querySelectorAll('.mud-progress-linear, .mud-table-loading, .mud-skeleton').length === 0 && !document.body.innerText.includes('…')",
                null, new() { Timeout = 8000 });
        }
        catch (TimeoutException) { }
        await page.AnimationsDone();
    }

    /// <summary>N confirmed users straight into the pool's rows (no password, so no Argon2id): one prepared INSERT in one
    /// transaction, its table, columns and value conversions taken from Portal's EF model as the benchmark's Seed does,
    /// so the rows are what AdminCreateUser writes. Returns how long it took.</summary>
    public static async Task<TimeSpan> BulkUsers(PortalServer server, string poolId, int count, string prefix)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var entity = db.Model.FindEntityType(typeof(UserRow))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""))}) " +
                             $"VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i))})";
        var parameters = properties.Select((_, i) =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "@p" + i;
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var username = $"{prefix}{i:D5}";
            var email = $"{prefix}{i:D5}@bulk.example.com";
            var sub = Guid.NewGuid().ToString();
            var row = new UserRow
            {
                Sub = sub, UserPoolId = poolId, Username = username, UsernameKey = username.ToLowerInvariant(), Status = "CONFIRMED", Enabled = true,
                CreatedAt = now.AddSeconds(-i), LastModifiedAt = now.AddSeconds(-i), Email = email, EmailVerified = true,
                Attributes = JsonSerializer.Serialize(new Dictionary<string, string> { ["sub"] = sub, ["email"] = email, ["email_verified"] = "true" }),
            };
            for (var p = 0; p < properties.Count; p++)
            {
                var value = properties[p].PropertyInfo!.GetValue(row);
                var converter = properties[p].GetTypeMapping().Converter;
                if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
                parameters[p].Value = value ?? DBNull.Value;
            }
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return watch.Elapsed;
    }

    public sealed record Sample(string PoolId, string PoolName, string Username, string GroupName, string ClientId);

    /// <summary>A small shop pool with people, a group with a member and an app client: something worth looking at.</summary>
    public static async Task<Sample> SamplePool(PortalServer server)
    {
        var engine = server.Services.GetRequiredService<Dispatcher>();
        var name = "shop-" + Guid.NewGuid().ToString("n")[..6];
        var pool = (await engine.Send(new CreateUserPoolRequest
        {
            PoolName = name, AliasAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            Schema = [new() { Name = "email", Required = true }],
        })).UserPool!.Id!;
        string[] people = ["ada", "alan", "grace", "barbara", "edsger", "margaret", "katherine", "dennis"];
        foreach (var person in people)
            await engine.Send(new AdminCreateUserRequest
            {
                UserPoolId = pool, Username = person, MessageAction = "SUPPRESS",
                UserAttributes =
                [
                    new() { Name = "email", Value = $"{person}@example.com" }, new() { Name = "email_verified", Value = "true" },
                    new() { Name = "given_name", Value = char.ToUpperInvariant(person[0]) + person[1..] },
                ],
            });
        await engine.Send(new AdminDisableUserRequest { UserPoolId = pool, Username = "dennis" });
        await engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "staff", Description = "Shop staff", Precedence = 1 });
        await engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "customers", Description = "Everyone who buys", Precedence = 5 });
        await engine.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, GroupName = "staff", Username = "grace" });
        await engine.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, GroupName = "staff", Username = "ada" });
        var client = (await engine.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "shop-web", ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true, AllowedOAuthScopes = ["openid", "email"],
            CallbackURLs = ["https://shop.example.com/callback"], SupportedIdentityProviders = ["COGNITO"],
        })).UserPoolClient!.ClientId!;
        return new Sample(pool, name, "grace", "staff", client);
    }

    /// <summary>Every portal page, with the sample's ids filled in: (short name, path).</summary>
    public static IReadOnlyList<(string Name, string Path)> Pages(Sample s) =>
    [
        ("home", "/"),
        ("pools", "/pools"),
        ("create-pool", "/pools/new"),
        ("pool-settings", $"/pools/{s.PoolId}"),
        ("users", $"/users?pool={s.PoolId}"),
        ("user-detail", $"/users/{s.PoolId}/{s.Username}"),
        ("groups", $"/groups?pool={s.PoolId}"),
        ("group-members", $"/groups/{s.PoolId}/{s.GroupName}"),
        ("clients", $"/clients?pool={s.PoolId}"),
        ("client-editor", $"/clients/{s.PoolId}/{s.ClientId}"),
        ("audit", "/audit"),
        ("branding", "/branding"),
        ("outbox", "/outbox"),
        ("triggers", "/triggers"),
        ("federation", "/federation"),
        ("identity-pools", "/identity-pools"),
        ("create-identity-pool", "/identity-pools/new"),
        ("iam-roles", "/iam/roles"),
        ("iam-providers", "/iam/providers"),
        ("sync", "/sync"),
    ];
}
