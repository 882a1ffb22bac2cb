using Microsoft.AspNetCore.Hosting.StaticWebAssets;

namespace Portal.Server;

/// <summary>The portal's framework script and MudBlazor's files are static web assets: <c>dotnet publish</c> copies them
/// into the output's wwwroot, while the build output (bin/) only lists where they lie in the source tree and the NuGet
/// cache, and ASP.NET Core reads that list in Development alone. Run from bin/ in another environment, Portal reads it
/// too (instead of answering 500 for each of them) and says that a deployment is made with <c>dotnet publish</c>.</summary>
static class BuildOutputAssets
{
    public static void ServeBuildOutputAssets(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment()) return;
        var manifest = Path.Combine(AppContext.BaseDirectory, builder.Environment.ApplicationName + ".staticwebassets.runtime.json");
        if (!File.Exists(manifest)) return;
        StaticWebAssetsLoader.UseStaticWebAssets(builder.Environment, builder.Configuration);
        Console.WriteLine(Notice(builder.Environment.EnvironmentName));
    }

    public static string Notice(string environment) =>
        $"Portal is running from its build output in {environment}: the portal's scripts and styles are read from this machine's " +
        "source tree and NuGet cache. To deploy, publish it (dotnet publish Portal.Server -c Release -o <folder>) and run <folder>/Portal.Server.dll.";
}
