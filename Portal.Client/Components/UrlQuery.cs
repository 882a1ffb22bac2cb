using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Client.Components;

/// <summary>Reads and writes the page state operators keep in the address (the chosen pool), so links and Back work.</summary>
public static class UrlQuery
{
    public static string? Get(NavigationManager nav, string name)
    {
        var query = QueryHelpers.ParseQuery(new Uri(nav.Uri).Query);
        return query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
    }

    /// <summary>Puts the value in the address without a new history entry.</summary>
    public static void Set(NavigationManager nav, string name, string? value) =>
        nav.NavigateTo(nav.GetUriWithQueryParameter(name, value), replace: true);
}
