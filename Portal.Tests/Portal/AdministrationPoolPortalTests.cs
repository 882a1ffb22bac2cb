using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Client.Contract;
using Portal.Server;
using Portal.Server.Engine;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Portal.ScenarioPortal;

namespace Portal.Tests.Portal;

/// <summary>A Portal whose sessions are checked every two seconds, so a test sees what operators see a minute later
/// (it moves the server's clock past the interval rather than waiting for it).</summary>
public sealed class QuickSessionServer : PortalServer
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portal:Admin:Session:CheckInterval"] = "00:00:02",
    };
}

/// <summary>Issue 13 in chromium, through the portal's real sign-in: an operator cannot make itself administrator, a
/// viewer reads no secret, and a disabled or demoted operator's session follows within the check interval.</summary>
public sealed class AdministrationPoolPortalTests(QuickSessionServer server, Browser browser) : IClassFixture<QuickSessionServer>, IClassFixture<Browser>
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();
    string AdminPool => server.Services.GetRequiredService<Bootstrap>().Created!.AdminPoolId;
    const string Password = "Operator-Passw0rd!";

    async Task<string> Member(string group)
    {
        var name = PortalServer.Unique("op");
        await Engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = AdminPool, Username = name, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{name}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await Engine.Send(new AdminSetUserPasswordRequest { UserPoolId = AdminPool, Username = name, Password = Password, Permanent = true });
        await Engine.Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = name, GroupName = group });
        return name;
    }

    async Task<IPage> SignedIn(string name, string role)
    {
        var page = await browser.NewPage();
        await PortalSignIn.AsUser(page, server, name, Password);
        await Assertions.Expect(page.GetByTestId("operator")).ToContainTextAsync($"{name} · {role}");
        return page;
    }

    [Fact]
    public async Task An_operator_cannot_add_itself_to_administrators_on_its_own_user_page()
    {
        var name = await Member("operators");
        var page = await SignedIn(name, "operator");

        await Go(page, $"{server.BaseUrl}/users/{AdminPool}/{name}");
        await Assertions.Expect(page.GetByTestId("attributes")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("read-only")).ToContainTextAsync("only administrators change the administration pool");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-operator-in-administration-pool.png"), FullPage = true });
        Assert.Equal(0, await page.GetByTestId("group-add").CountAsync());
        Assert.Equal(0, await page.GetByTestId("group-to-add").CountAsync());
        Assert.Equal(0, await page.Locator("[data-testid^=user-group-remove-]").CountAsync());

        // On another pool the same operator still manages groups.
        var pool = (await Engine.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("shop") })).UserPool!.Id!;
        await Engine.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "staff" });
        await Engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "ada", MessageAction = "SUPPRESS" });
        await Go(page, $"{server.BaseUrl}/users/{pool}/ada");
        await Assertions.Expect(page.GetByTestId("group-add")).ToBeVisibleAsync();

        // Signing in again: still an operator.
        var again = await SignedIn(name, "operator");
        var groups = await Engine.Send(new AdminListGroupsForUserRequest { UserPoolId = AdminPool, Username = name });
        Assert.Equal(["operators"], groups.Groups!.Select(g => g.GroupName));
        await again.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_viewer_reads_that_the_client_secret_is_hidden()
    {
        var pool = (await Engine.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("shop") })).UserPool!.Id!;
        var client = (await Engine.Send(new CreateUserPoolClientRequest { UserPoolId = pool, ClientName = "server", GenerateSecret = true })).UserPoolClient!;
        var page = await SignedIn(await Member("viewers"), "viewer");
        await Go(page, $"{server.BaseUrl}/clients/{pool}/{client.ClientId}");
        await Assertions.Expect(page.GetByTestId("secret-hidden")).ToHaveTextAsync("Hidden: only administrators see the client secret.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotFolder, "portal-viewer-client-secret-hidden.png"), FullPage = true });
        Assert.DoesNotContain(client.ClientSecret!, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_disabled_operator_is_signed_out_and_a_demoted_one_becomes_viewer_within_the_interval()
    {
        var disabled = await Member("operators");
        var page = await SignedIn(disabled, "operator");
        await Engine.Send(new AdminDisableUserRequest { UserPoolId = AdminPool, Username = disabled });
        server.Clock.Advance(TimeSpan.FromSeconds(3));   // past the 2 s check interval
        await page.GotoAsync($"{server.BaseUrl}/pools");
        await page.Reach(url => url.Contains("/portal-admin/login"));
        await page.Context.CloseAsync();

        var demoted = await Member("operators");
        page = await SignedIn(demoted, "operator");
        await Engine.Send(new AdminAddUserToGroupRequest { UserPoolId = AdminPool, Username = demoted, GroupName = "viewers" });
        await Engine.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = AdminPool, Username = demoted, GroupName = "operators" });
        server.Clock.Advance(TimeSpan.FromSeconds(3));   // past the 2 s check interval
        await page.GotoAsync($"{server.BaseUrl}/pools");
        await Assertions.Expect(page.GetByTestId("operator")).ToContainTextAsync($"{demoted} · viewer");

        var signedOut = await Member("operators");
        var other = await SignedIn(signedOut, "operator");
        await Engine.Send(new AdminUserGlobalSignOutRequest { UserPoolId = AdminPool, Username = signedOut });
        server.Clock.Advance(TimeSpan.FromSeconds(3));   // past the 2 s check interval
        await other.GotoAsync($"{server.BaseUrl}/pools");
        await other.Reach(url => url.Contains("/portal-admin/login"));
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }
}
