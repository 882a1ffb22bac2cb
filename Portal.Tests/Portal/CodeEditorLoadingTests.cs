using Bunit;
using Microsoft.JSInterop;
using Portal.Client.Components;

namespace Portal.Tests.Portal;

/// <summary>The code editor (triggers, IAM policies) loads Monaco when it is first shown (portalMonaco.load, App.razor),
/// not with every portal page: until then its frame shows a progress bar, and a failed load says to use the plain text
/// editor, which works without Monaco. (In chromium: TriggersE2eTests counts the requests for editor.main.js.)</summary>
public sealed class CodeEditorLoadingTests : PortalPageTest
{
    [Fact]
    public void While_monaco_loads_the_frame_shows_a_labelled_progress_bar()
    {
        var load = Ctx.JSInterop.SetupVoid("portalMonaco.load");   // never answered: the load is still under way
        var editor = Ctx.Render<TriggerCodeEditor>(p => p.Add(e => e.Id, "code").Add(e => e.Value, "exports.handler = async e => e;"));

        editor.WaitForAssertion(() => Assert.Single(load.Invocations));
        Assert.NotNull(editor.Find("[data-testid='code-monaco'] [aria-label='Loading the code editor']"));
        Assert.Empty(editor.FindAll(".trigger-code-monaco"));
    }

    [Fact]
    public void A_failed_load_says_so_and_the_plain_text_editor_still_edits()
    {
        Ctx.JSInterop.SetupVoid("portalMonaco.load").SetException(new JSException("Could not load _content/BlazorMonaco/jsInterop.js"));
        string? changed = null;
        var editor = Ctx.Render<TriggerCodeEditor>(p => p.Add(e => e.Id, "code").Add(e => e.Value, "old")
            .Add(e => e.ValueChanged, (string? v) => changed = v));

        editor.WaitForAssertion(() => Assert.Contains("could not be loaded: use the plain text editor",
            editor.Find("[data-testid='code-monaco-failed']").TextContent, StringComparison.Ordinal));
        Input(editor, "code-plain").Change(true);
        editor.WaitForElement("[data-testid='code-text']", Wait);
        Input(editor, "code-text").Input("new");
        Assert.Equal("new", changed);
    }
}
