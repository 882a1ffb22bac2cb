using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Server.Federation;
using Portal.Server.Federation.Saml;
using Portal.Server.HostedUi;
using Portal.Server.HostedUi.Pages;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.HostedUi;

/// <summary>The hosted UI's words: every key in every language, every key the pages use defined, and pages that are hard
/// to reach over HTTP rendered in another language.</summary>
public sealed partial class TextsTests
{
    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Every_key_has_every_language_with_the_same_placeholders()
    {
        var problems = new List<string>();
        foreach (var key in Texts.Keys)
        {
            var english = Placeholders(Texts.For("en", null)[key]);
            foreach (var locale in Texts.Locales)
            {
                if (!Texts.Has(locale, key)) { problems.Add($"{locale}: {key} is missing"); continue; }
                var words = Texts.For(locale, null)[key];
                if (string.IsNullOrWhiteSpace(words)) problems.Add($"{locale}: {key} is empty");
                else if (Placeholders(words) != english) problems.Add($"{locale}: {key} has placeholders {Placeholders(words)}, English has {english}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    string Placeholders(string words) => string.Join(",", Placeholder().Matches(words).Select(m => m.Value).Order(StringComparer.Ordinal));

    /// <summary>A key the pages use but Texts lacks would show the key itself (the indexer's last resort): every key named
    /// in the hosted UI's and federation's code exists.</summary>
    [Fact]
    public void Every_key_the_hosted_ui_and_federation_use_exists()
    {
        var server = Path.Combine(PortalServer.RepositoryRoot, "Portal.Server");
        var files = new[] { "HostedUi", "Federation" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(server, d), "*.*", SearchOption.AllDirectories))
            .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
            .Append(Path.Combine(server, "Throttling", "HostedUiThrottle.cs"))
            .ToList();
        var patterns = new[]
        {
            @"(?:UserText\.Of|Texts\.English)\(\s*""(\w+)""",
            @"\b(?:T|texts|Texts)\[""(\w+)""\]",
            @"Branding\.Text\(T,\s*""(\w+)""\)",
            @"Say\(""(\w+)""",
            @"(?<!cref=)""((?:Fed|Saml|Slo|Oidc|Engine|Test)[A-Z]\w+)""",
        };
        var used = files.SelectMany(f => patterns.SelectMany(p => Regex.Matches(File.ReadAllText(f), p).Select(m => (Key: m.Groups[1].Value, File: Path.GetFileName(f)))))
            .ToList();
        used.AddRange(EngineMessages.TextKeys.Select(k => (k, "EngineMessages")));
        used.AddRange(SignUpAttribute.TextKeys.Select(k => (k, "SignUpAttribute")));
        used.AddRange(Enum.GetValues<SamlResponseRefused.Problem>().Select(p => (SamlResponseRefused.Say(p).Key!, "SamlResponseRefused")));
        // HostedSignIn names its refusals in constants.
        used.AddRange(typeof(HostedSignIn).GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => ((string)f.GetRawConstantValue()!, "HostedSignIn")));

        Assert.True(used.Count > 150, $"the scan found only {used.Count} uses: the patterns no longer match the code");
        var keys = Texts.Keys.ToHashSet(StringComparer.Ordinal);
        var missing = used.Where(u => !keys.Contains(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(missing.Count == 0, "keys used but not in Texts:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Engine_messages_are_translated_only_when_they_are_the_engines_own_words()
    {
        var german = Texts.For("de", null);
        Assert.Equal("Das Passwort muss Großbuchstaben enthalten",
            EngineMessages.Say(new global::Portal.Client.Contract.InvalidPasswordException("Password did not conform with policy: Password must have uppercase characters"), german));
        Assert.Equal("Der Bestätigungscode ist ungültig. Bitte versuchen Sie es erneut.",
            EngineMessages.Say("Invalid verification code provided, please try again.", german));
        // A trigger's own words are shown as they are.
        Assert.Equal("PreSignUp failed with error Not on the list.", EngineMessages.Say("PreSignUp failed with error Not on the list.", german));
        // English pages keep Cognito's words exactly.
        Assert.Equal("Invalid verification code provided, please try again.",
            EngineMessages.Say("Invalid verification code provided, please try again.", Texts.For("en", null)));
    }

    [Fact]
    public void Sign_up_fields_are_labelled_in_the_users_language_and_custom_attributes_by_their_name()
    {
        var german = Texts.For("de", null);
        Assert.Equal("Vorname", SignUpAttribute.For("given_name", german).Label);
        Assert.Equal("Telefonnummer", SignUpAttribute.For("phone_number", german).Label);
        Assert.Equal("tel", SignUpAttribute.For("phone_number", german).Type);
        Assert.Equal("生年月日 (YYYY-MM-DD)", SignUpAttribute.For("birthdate", Texts.For("ja", null)).Label);
        Assert.Equal("Given name", SignUpAttribute.For("given_name", Texts.For("en", null)).Label);
        Assert.Equal("Loyalty number", SignUpAttribute.For("custom:loyalty_number", german).Label);
    }

    [Fact]
    public void Saml_refusals_are_said_in_the_pages_language_and_logged_in_english()
    {
        var e = new SamlResponseRefused(SamlResponseRefused.Problem.Replayed, "assertion _x was already used");
        Assert.Equal("This sign-in answer was already used. Please start the sign-in again.", e.UserMessage);
        Assert.Equal("Cette réponse de connexion a déjà été utilisée. Veuillez recommencer la connexion.", e.Say().In(Texts.For("fr", null)));
        Assert.Equal("このサインイン応答は既に使用されています。サインインをやり直してください。", e.Say().In(Texts.For("ja", null)));
    }

    [Fact]
    public async Task The_test_sign_in_page_speaks_the_administrators_language()
    {
        var page = new PageModel { Texts = Texts.For(null, "de-DE,de;q=0.9"), BasePath = "", Query = "", Branding = new global::Portal.Server.HostedUi.Branding { PageTitle = "Shop" } };
        var linked = new FederationTestResult
        {
            ProviderName = "CorpIdP", ProviderType = "OIDC", Succeeded = true, ProviderUserId = "u-1", Username = "alice",
            UserStatus = "CONFIRMED", Linked = true, ProviderAttributes = [("email", "alice@example.com")],
            Mappings = [new("email", "email", "alice@example.com", null), new("nickname", "nick", null, "TestNoteNotSent")],
        };
        var html = System.Net.WebUtility.HtmlDecode(await Render(new FederationTestPageModel(page, linked)));
        Assert.Contains("lang=\"de\"", html);
        Assert.Contains("Testanmeldung mit CorpIdP", html);
        Assert.Contains("CorpIdP hat Sie angemeldet. Nichts wurde gespeichert", html);
        Assert.Contains("Mit diesem vorhandenen Benutzer verknüpft (CONFIRMED).", html);
        Assert.Contains("Attributzuordnung", html);
        Assert.Contains("vom Anbieter nicht gesendet", html);
        Assert.Contains("Was CorpIdP gesendet hat", html);
        Assert.DoesNotContain("Linked to", html);

        var refused = new FederationTestResult
        {
            ProviderName = "CorpIdP", Succeeded = false, Message = UserText.Of("OidcCancelled", "CorpIdP").In(page.Texts), Reason = "CorpIdP answered error=access_denied",
        };
        html = System.Net.WebUtility.HtmlDecode(await Render(new FederationTestPageModel(page, refused)));
        Assert.Contains("Testanmeldung mit CorpIdP fehlgeschlagen", html);
        Assert.Contains("Die Anmeldung mit CorpIdP wurde abgebrochen oder abgelehnt.", html);
        Assert.Contains("Grund, wie protokolliert:", html);
    }

    static async Task<string> Render(FederationTestPageModel model)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<FederationTestPage>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Model"] = model })))
            .ToHtmlString());
    }
}
