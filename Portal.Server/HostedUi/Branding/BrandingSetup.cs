using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Branding;

public static class BrandingSetup
{
    /// <summary>Hosted-UI branding: the CSS, logo and theme policies, the asset blob store chosen by
    /// <c>Portal:Assets:Provider</c> (File or S3), the asset and customization stores, and draft previews.</summary>
    public static IServiceCollection AddBranding(this IServiceCollection services, IConfiguration portal)
    {
        services.Configure<AssetOptions>(portal.GetSection("Assets"));
        services.AddHttpContextAccessor();
        services.AddSingleton<CssPolicy>();
        services.AddSingleton<LogoPolicy>();
        services.AddSingleton<ThemePolicy>();
        services.AddSingleton<BrandingPreview>();
        services.AddSingleton<IBlobStore>(BlobStore);
        services.AddScoped<BrandingAssets>();
        services.AddScoped<UiCustomizationStore>();
        services.AddScoped<ManagedLoginBrandings>();
        return services;
    }

    static IBlobStore BlobStore(IServiceProvider sp)
    {
        var assets = sp.GetRequiredService<IOptions<AssetOptions>>().Value;
        if (assets.IsS3) return S3BlobStore.Create(assets.S3, sp.GetRequiredService<Portal.Server.Outbound.OutboundAddresses>());
        if (!assets.Provider.Equals("File", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Portal:Assets:Provider must be File or S3, not '{assets.Provider}'.");
        var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var folder = string.IsNullOrWhiteSpace(assets.Folder)
            ? Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataFolder, "assets")
            : assets.Folder;
        return new FileBlobStore(Path.Combine(root, folder));
    }
}
