using Microsoft.Playwright;

namespace Portal.Tests.Infrastructure;

/// <summary>An operator signing in to the admin portal the only way there is: OpenID Connect through the
/// administration pool's hosted sign-in page.</summary>
public static class PortalSignIn
{
    public static async Task AsAdministrator(IPage page, PortalServer server) =>
        await As(page, server, "admin", PortalServer.AdminPassword);

    public static async Task As(IPage page, PortalServer server, string username, string password)
    {
        await page.GotoAsync(server.BaseUrl + "/");
        await page.WaitForURLAsync(url => url.Contains("/portal-admin/login"));
        await page.GetByLabel("Username or email").FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(server.BaseUrl) && !url.Contains("/portal-admin/") && !url.Contains("signin-oidc"));
    }
}
