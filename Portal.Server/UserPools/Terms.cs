using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.UserPools;

/// <summary>An app client's terms documents (terms of use, privacy policy): links per managed-login language, shown on
/// the hosted sign-up page once both kinds exist, in the page's language or else cognito:default.</summary>
public sealed partial class Terms(PortalDb db)
{
    public const string TermsOfUse = "terms-of-use", PrivacyPolicy = "privacy-policy";

    public async Task<TermsRow> Get(string poolId, string? termsId, CancellationToken ct) =>
        await db.Terms.FirstOrDefaultAsync(t => t.TermsId == termsId && t.UserPoolId == poolId, ct)
        ?? throw new ResourceNotFoundException($"Terms {termsId} do not exist.");

    public static TermsType Describe(TermsRow row) => row is null ? throw new ArgumentNullException(nameof(row)) : new()
    {
        TermsId = row.TermsId, UserPoolId = row.UserPoolId, ClientId = row.ClientId, TermsName = row.TermsName,
        TermsSource = row.TermsSource, Enforcement = row.Enforcement, Links = LinksOf(row),
        CreationDate = row.CreatedAt, LastModifiedDate = row.LastModifiedAt,
    };

    public static Dictionary<string, string> LinksOf(TermsRow row) =>
        row is null ? throw new ArgumentNullException(nameof(row)) : JsonSerializer.Deserialize<Dictionary<string, string>>(row.Links, CognitoJson.Options) ?? [];

    /// <summary>The links as stored, after the checks the model's patterns make (language keys, absolute http(s) URLs).</summary>
    public static string CheckLinks(Dictionary<string, string>? links)
    {
        if (links is not { Count: > 0 }) throw new InvalidParameterException("Links must contain at least one language and its URL.");
        foreach (var (language, url) in links)
        {
            if (!LanguageId().IsMatch(language))
                throw new InvalidParameterException($"{language} is not a managed login language (cognito:default, cognito:english, cognito:french, ...).");
            if (url.Length > 1024 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                throw new InvalidParameterException($"The link for {language} is not an absolute http or https URL.");
        }
        return JsonSerializer.Serialize(links, CognitoJson.Options);
    }

    /// <summary>The links the sign-up page shows for a client in a language ("en", "de", "pt-BR"...): both documents or none.</summary>
    public async Task<(string TermsOfUse, string PrivacyPolicy)?> ForSignUp(string clientId, string? locale, CancellationToken ct)
    {
        var rows = await db.Terms.AsNoTracking().Where(t => t.ClientId == clientId).ToListAsync(ct);
        string? Link(string name) => rows.FirstOrDefault(r => r.TermsName == name) is { } row && LinksOf(row) is var links
            ? links.GetValueOrDefault(LanguageOf(locale)) ?? links.GetValueOrDefault("cognito:default") ?? links.Values.FirstOrDefault()
            : null;
        return Link(TermsOfUse) is { } terms && Link(PrivacyPolicy) is { } privacy ? (terms, privacy) : null;
    }

    static string LanguageOf(string? locale) => (locale ?? "").ToLowerInvariant() switch
    {
        var l when l.StartsWith("pt", StringComparison.Ordinal) => "cognito:portuguese-brazil",
        "zh-tw" or "zh-hant" => "cognito:chinese-traditional",
        var l when l.StartsWith("zh", StringComparison.Ordinal) => "cognito:chinese-simplified",
        var l => (l.Split('-')[0]) switch
        {
            "en" => "cognito:english",
            "fr" => "cognito:french",
            "es" => "cognito:spanish",
            "de" => "cognito:german",
            "nl" => "cognito:dutch",
            "id" => "cognito:bahasa-indonesia",
            "it" => "cognito:italian",
            "ja" => "cognito:japanese",
            "ko" => "cognito:korean",
            _ => "cognito:default",
        },
    };

    [GeneratedRegex("^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$")]
    private static partial Regex LanguageId();
}
