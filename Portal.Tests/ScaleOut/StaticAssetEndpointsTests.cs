using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>The Monaco editor's 733 files (the code editor of triggers and IAM policies, from the BlazorMonaco package)
/// are not static-asset endpoints (<c>StaticWebAssetEndpointExclusionPattern</c> in Portal.Server.csproj): as 1,221
/// endpoints with their compressed variants they held 12 MiB of an idle Portal's memory in routing tables, and the
/// static-file middleware, which runs before routing, answered every one of those requests anyway. They are still
/// served; the fingerprinted assets the pages name through <c>@Assets</c> (Blazor's script, MudBlazor's) stay endpoints.</summary>
public sealed class StaticAssetEndpointsTests(PortalServer server) : IClassFixture<PortalServer>
{
    const string Monaco = "_content/BlazorMonaco/";

    [Fact]
    public void Monacos_files_are_not_routing_endpoints_and_the_fingerprinted_assets_are()
    {
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "").ToList();
        Assert.DoesNotContain(routes, r => r.StartsWith(Monaco, StringComparison.Ordinal));
        Assert.Contains(routes, r => r.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        // All the static assets together: a few dozen routes, not a thousand.
        Assert.InRange(routes.Count(r => r.StartsWith("_content/", StringComparison.Ordinal) || r.StartsWith("_framework/", StringComparison.Ordinal)), 1, 100);
    }

    [Theory]
    [InlineData("jsInterop.js")]
    [InlineData("lib/monaco-editor/min/vs/loader.js")]
    [InlineData("lib/monaco-editor/min/vs/editor/editor.main.js")]
    [InlineData("lib/monaco-editor/min/vs/editor/editor.main.css")]
    // Loaded by the editor later, when it shows JavaScript.
    [InlineData("lib/monaco-editor/min/vs/basic-languages/javascript/javascript.js")]
    [InlineData("lib/monaco-editor/min/vs/language/typescript/tsWorker.js")]
    public async Task Monacos_files_are_still_served(string file)
    {
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/" + Monaco + file);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
        Assert.Contains(file.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "javascript", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }
}
