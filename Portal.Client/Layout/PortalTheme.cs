using MudBlazor;

namespace Portal.Client.Layout;

/// <summary>Portal's colours. Every text colour keeps WCAG AA contrast (4.5:1) on its background in both themes;
/// MudBlazor's default greys, status colours and disabled text do not, so they are set here.</summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3b4fd9", Secondary = "#0b7a6b", AppbarBackground = "#1f2a5a", Background = "#f6f7fb",
            TextSecondary = "#5f5f63", TextDisabled = "#6b6b70", ActionDisabled = "#6b6b70",
            Success = "#1e7b34", Warning = "#a35a00", Info = "#1565c0", Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9bff", PrimaryContrastText = "#10143a", Secondary = "#4fd1bd", SecondaryContrastText = "#0b2a25",
            AppbarBackground = "#151a33",
            TextSecondary = "#b0b1b6", TextDisabled = "#a4a5aa", ActionDisabled = "#a4a5aa",
            // Error alerts write their text in ErrorDarken on a faint error tint: the derived darker red had 3.8:1 there.
            Error = "#ff8593", ErrorDarken = "#ff9aa6", ErrorContrastText = "#2a0a0e", Info = "#7cc4ff", InfoContrastText = "#06223a",
            Success = "#5fd27a", SuccessContrastText = "#08240f", Warning = "#ffb74d", WarningContrastText = "#2b1a00",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
    };
}
