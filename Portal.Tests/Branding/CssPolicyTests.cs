using ExCSS;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Branding;

/// <summary>The hosted UI's custom CSS: Cognito's sample is accepted with its meaning intact, and every construct that
/// could fetch, run code, escape the style element or style something else is refused, named, with its line.</summary>
public sealed class CssPolicyTests
{
    readonly CssPolicy policy = new();

    public static string Sample => File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "Branding", "CognitoSample.css"));

    // The offending construct is on line 2, after a valid rule, so the message must point there.
    const string Valid = ".label-customizable { font-weight: 400; }\n";

    public static TheoryData<string, string, string> Refused => new()
    {
        { "@import", Valid + "@import url(/assets/other.css);", "line 2: the at-rule @import is not allowed" },
        { "@font-face", Valid + "@font-face { font-family: x; src: url(/assets/font.woff2); }", "line 2: the at-rule @font-face is not allowed" },
        { "@media", Valid + "@media screen { .label-customizable { color: red; } }", "line 2: the at-rule @media is not allowed" },
        { "url(http://...)", Valid + ".background-customizable { background-image: url(http://evil.example/track.png); }", "line 2: url(http://evil.example/track.png) is not allowed" },
        { "url(data:...)", Valid + ".background-customizable { background-image: url(\"data:image/png;base64,iVBORw0KGgo=\"); }", "line 2: url(data:image/png;base64,iVBORw0KGgo=) is not allowed" },
        { "expression()", Valid + ".label-customizable { color: expression(alert(document.cookie)); }", "line 2: expression() is not allowed" },
        { "behavior", Valid + ".label-customizable { behavior: url(/assets/x.htc); }", "line 2: the property 'behavior' is not allowed" },
        { "-moz-binding", Valid + ".label-customizable { -moz-binding: url(/assets/x.xml); }", "line 2: the property '-moz-binding' is not allowed" },
        { "javascript:", Valid + ".background-customizable { background-image: url(javascript:alert(1)); }", "line 2: 'javascript:' is not allowed" },
        { "unknown selector", Valid + "body, .label-customizable { color: red; }", "line 2: the selector 'body' is not allowed" },
        { "unknown property", Valid + ".label-customizable { position: fixed; }", "line 2: the property 'position' is not allowed in .label-customizable" },
        { "</style>", Valid + ".label-customizable { color: red; }</style><script>alert(1)</script>", "line 2: '</style' is not allowed" },
        { "over 3 KB", string.Concat(Enumerable.Repeat(".label-customizable { color: #112233; font-size: 14px; }\n", 60)), "the limit is 3,072 bytes" },
        { "garbage", Valid + "}}} this is { not css", "line 2: unbalanced '}'" },
        { "unclosed rule", Valid + ".label-customizable { color: red;", "line 2: the rule '.label-customizable' is not closed" },
        { "unknown function", Valid + ".background-customizable { background-image: image-set(\"/assets/a.png\" 1x); }", "line 2: the function image-set() is not allowed" },
        { "invalid value", Valid + ".label-customizable { font-weight: 450; }", "line 2: '450' is not a valid value for 'font-weight'" },
        { "escape", Valid + ".label-customizable { color: r\\65 d; }", "line 2: escapes ('\\') are not allowed" },
        { "case of a class", Valid + ".SubmitButton-customizable { color: red; }", "did you mean '.submitButton-customizable'?" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_construct_is_named_with_its_line(string construct, string css, string expected)
    {
        var e = Assert.Throws<InvalidParameterException>(() => policy.Sanitize(css));
        Assert.Contains(expected, e.Message);
        Assert.Contains(policy.Check(css), p => p.ToString().Contains(expected.Replace("line 2: ", ""), StringComparison.Ordinal));
        Assert.NotEmpty(construct);
    }

    [Fact]
    public void Cognito_sample_is_accepted_with_its_meaning_unchanged()
    {
        var sample = Sample;
        var output = policy.Sanitize(sample)!;
        Assert.Empty(policy.Check(sample));
        foreach (var selector in CssPolicy.Selectors) Assert.Contains(selector + " {", output);

        // The same declarations for the same selectors, as a browser-grade parser reads both texts.
        Assert.Equal(Meaning(sample), Meaning(output));
        // Sanitising what was served changes nothing more.
        Assert.Equal(output, policy.Sanitize(output));
    }

    static Dictionary<string, string> Meaning(string css) => new StylesheetParser().Parse(css).StyleRules
        .SelectMany(r => r.Style.Declarations.Select(d => ($"{r.SelectorText} {d.Name}", d.Value + (d.IsImportant ? " !important" : ""))))
        .ToDictionary(x => x.Item1, x => x.Item2);

    [Fact]
    public void Output_is_the_reserialisation_never_the_raw_text()
    {
        var output = policy.Sanitize("/* brand */ .label-customizable{color:RED;   font-family: 'Open Sans', sans-serif}");
        Assert.Equal(".label-customizable { color: rgb(255, 0, 0); font-family: \"Open Sans\", sans-serif }", output);
    }

    [Fact]
    public void Own_assets_lists_and_important_are_accepted()
    {
        var output = policy.Sanitize("""
            .background-customizable { background-image: url("/assets/0123456789abcdef.png"); background-size: cover; }
            .submitButton-customizable, .idpButton-customizable { border-radius: 8px !important; }
            """)!;
        Assert.Contains("url(\"/assets/0123456789abcdef.png\")", output);
        Assert.Contains("!important", output);
    }

    [Fact]
    public void Empty_css_is_no_css()
    {
        Assert.Null(policy.Sanitize(null));
        Assert.Null(policy.Sanitize("  \n "));
        Assert.Empty(policy.Check(""));
    }

    [Fact]
    public void Check_lists_every_problem_with_line_and_column_for_the_editor()
    {
        var problems = policy.Check("""
            .label-customizable { color: red; }
              .banner-customizable { float: left; }
            @media print { }
            .nope { color: blue; }
            """);
        Assert.Collection(problems,
            p => Assert.Equal((2, 26, "the property 'float' is not allowed in .banner-customizable"), (p.Line, p.Column, p.Message)),
            p => Assert.Equal((3, 1), (p.Line, p.Column)),
            p => Assert.Equal((4, 1), (p.Line, p.Column)));
        Assert.StartsWith("line 2: ", problems[0].ToString());
    }

    [Fact]
    public void Url_is_allowed_in_background_image_only()
    {
        var e = Assert.Throws<InvalidParameterException>(() => policy.Sanitize(".label-customizable { border-image: url(/assets/a.png) 30; }"));
        Assert.Contains("'border-image'", e.Message);
        var problems = policy.Check(".logo-customizable { list-style: url(/assets/a.png); }");
        Assert.Contains("'list-style' is not allowed", problems[0].Message);
    }

    [Fact]
    public void Asset_urls_must_not_leave_the_store()
    {
        Assert.Throws<InvalidParameterException>(() => policy.Sanitize(".background-customizable { background-image: url(/assets/../appsettings.json); }"));
        Assert.Throws<InvalidParameterException>(() => policy.Sanitize(".background-customizable { background-image: url(//evil.example/assets/a.png); }"));
        Assert.False(CssPolicy.IsOwnAsset("/assets/.hidden"));
        Assert.True(CssPolicy.IsOwnAsset("/assets/logo-1.png"));
    }
}
