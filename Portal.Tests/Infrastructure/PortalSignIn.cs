using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>An operator signing in to the admin portal the only way there is: OpenID Connect through the
/// administration pool's hosted sign-in page.</summary>
public static class PortalSignIn
{
    public static async Task<IReadOnlyList<string>> AsAdministrator(IPage page, PortalServer server) =>
        await As(page, server, "admin", PortalServer.AdminPassword);

    /// <summary>Any member of the administration pool's administrators, operators or viewers group.</summary>
    public static Task<IReadOnlyList<string>> AsUser(IPage page, PortalServer server, string username, string password) =>
        As(page, server, username, password);

    /// <summary>Signs in through the hosted UI and returns the addresses the browser asked for on the way, after
    /// checking that they include the administration pool's <c>/oauth2/authorize</c> (the OIDC code flow, not a
    /// shortcut) and the portal's <c>/signin-oidc</c> callback.</summary>
    public static async Task<IReadOnlyList<string>> As(IPage page, PortalServer server, string username, string password)
    {
        var visited = new List<string>();
        void Record(object? sender, IRequest request)
        {
            if (request.IsNavigationRequest) lock (visited) visited.Add(request.Url);
        }
        page.Request += Record;
        try
        {
            await page.GotoAsync(server.BaseUrl + "/");
            await page.Reach(url => url.Contains("/portal-admin/login"));
            await page.GetByLabel("Username or email").FillAsync(username);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Reach(url => url.StartsWith(server.BaseUrl, StringComparison.Ordinal) && !url.Contains("/portal-admin/") && !url.Contains("signin-oidc"));
        }
        finally
        {
            page.Request -= Record;
        }
        List<string> seen;
        lock (visited) seen = [.. visited];
        if (!seen.Any(u => u.Contains("/oauth2/authorize") && u.Contains("client_id=") && u.Contains("code_challenge=")))
            throw new InvalidOperationException("The sign-in did not go through an OIDC /oauth2/authorize request: " + string.Join(" → ", seen));
        if (!seen.Any(u => u.StartsWith(server.BaseUrl + "/signin-oidc", StringComparison.Ordinal)))
            throw new InvalidOperationException("The sign-in did not come back through /signin-oidc: " + string.Join(" → ", seen));
        return seen;
    }
}
