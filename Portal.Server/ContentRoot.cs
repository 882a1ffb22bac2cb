namespace Portal.Server;

/// <summary>The repository root holds the one appsettings.json and the web root; find it from where we run.</summary>
static class ContentRoot
{
    public static string Find()
    {
        var built = typeof(ContentRoot).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, built ?? "" }.Where(s => s.Length > 0))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "appsettings.json")) && Directory.Exists(Path.Combine(dir.FullName, "wwwroot")))
                    return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
