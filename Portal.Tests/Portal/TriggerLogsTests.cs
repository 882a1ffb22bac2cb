using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;

namespace Portal.Tests.Portal;

/// <summary>The trigger invocation log and one invocation's page against the engine, with the log's operations answered by
/// the test from a list of invocations at fixed times that the test can grow while the page runs.</summary>
public sealed class TriggerLogsTests : PortalPageTest
{
    static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    readonly List<TriggerInvocationType> log = [];
    string pool = "";

    TriggerInvocationType Add(int second, string trigger = "PreTokenGeneration", string outcome = "Succeeded", string user = "ada")
    {
        var i = new TriggerInvocationType
        {
            Id = Guid.NewGuid(), UserPoolId = pool, Trigger = trigger, TriggerSource = "TokenGeneration_HostedAuth", UserName = user,
            Target = "arn:aws:lambda:us-east-1:000000000000:function:portal-inline", StartedAt = T0.AddSeconds(second), DurationMs = 4.2,
            Outcome = outcome, Event = "{\"version\":\"1\",\"userName\":\"" + user + "\",\"request\":{\"password\":\"***\"}}",
            Response = "{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":{\"department\":\"engineering\"}}}",
            Logs = "adding a claim for " + user, Error = outcome == "Failed" ? "Error: no department for " + user : null,
        };
        lock (log) log.Add(i);
        return i;
    }

    void Engine(Func<object, object?>? more = null) => Cognito.Answer = request => more?.Invoke(request) ?? request switch
    {
        ListTriggerInvocationsRequest r => List(r),
        GetTriggerInvocationRequest r => new GetTriggerInvocationResponse { Invocation = Snapshot().FirstOrDefault(i => i.Id == r.Id) },
        _ => null,
    };

    List<TriggerInvocationType> Snapshot() { lock (log) return log.ToList(); }

    /// <summary>What the engine answers: newest first, "at or after" StartedAfter, summaries without event, response and logs.</summary>
    ListTriggerInvocationsResponse List(ListTriggerInvocationsRequest r) => new()
    {
        Invocations = Snapshot()
            .Where(i => (r.UserPoolId is null || i.UserPoolId == r.UserPoolId) && (r.Trigger is null || i.Trigger == r.Trigger)
                        && (r.Outcome is null || i.Outcome == r.Outcome) && (r.UserName is null || i.UserName == r.UserName)
                        && (r.StartedAfter is null || i.StartedAt >= r.StartedAfter) && (r.StartedBefore is null || i.StartedAt < r.StartedBefore))
            .OrderByDescending(i => i.StartedAt).Take(r.Limit ?? 50)
            .Select(i => i with { Event = null, Response = null, Logs = null }).ToList(),
    };

    IRenderedComponent<TriggerLogs> OpenLog(TimeSpan? tailEvery = null)
    {
        pool = pool.Length > 0 ? pool : Cognito.AddPool("shop");
        Nav.NavigateTo("triggers/logs");
        return Ctx.Render<TriggerLogs>(p => p.Add(x => x.TailEvery, tailEvery ?? TimeSpan.FromSeconds(2)));
    }

    List<string> Users(IRenderedComponent<TriggerLogs> page) =>
        page.FindAll("[data-testid='invocations'] tbody tr td[data-label='User']").Select(td => td.TextContent.Trim()).ToList();

    [Fact]
    public void The_log_lists_invocations_newest_first_with_their_summary()
    {
        pool = Cognito.AddPool("shop");
        Add(1, user: "ada");
        Add(3, user: "grace", outcome: "Failed");
        Add(2, user: "alan", outcome: "TimedOut");
        Engine();
        var page = OpenLog();
        page.WaitForAssertion(() => Assert.Equal(["grace", "alan", "ada"], Users(page)), Wait);
        var first = page.FindAll("[data-testid='invocations'] tbody tr")[0].TextContent;
        Assert.Contains("2026-11-27 10:00:03.000", first);
        Assert.Contains(pool, first);
        Assert.Contains("PreTokenGeneration", first);
        Assert.Contains("TokenGeneration_HostedAuth", first);
        Assert.Contains("4.2 ms", first);
        Assert.Contains("Failed", first);
        Assert.Contains("portal-inline", first);
    }

    [Fact]
    public void Filters_send_the_right_ListTriggerInvocations()
    {
        Engine();
        var page = OpenLog();
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<ListTriggerInvocationsRequest>()), Wait);
        var unfiltered = Cognito.Requests<ListTriggerInvocationsRequest>()[0];
        Assert.Equal((null, null, null, null), (unfiltered.UserPoolId, unfiltered.Trigger, unfiltered.Outcome, unfiltered.UserName));

        Choose(page, "filter-pool", $"shop ({pool})");
        Choose(page, "filter-trigger", "PreSignUp");
        Choose(page, "filter-outcome", "Failed");
        Input(page, "filter-user").Change("grace");
        Input(page, "filter-from").Change("2026-11-27T09:30");
        Input(page, "filter-to").Change("2026-11-27T11:00");
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Equal(2, Cognito.Requests<ListTriggerInvocationsRequest>().Count), Wait);
        var sent = Cognito.Requests<ListTriggerInvocationsRequest>()[1];
        Assert.Equal(pool, sent.UserPoolId);
        Assert.Equal("PreSignUp", sent.Trigger);
        Assert.Equal("Failed", sent.Outcome);
        Assert.Equal("grace", sent.UserName);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero), sent.StartedAfter);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero), sent.StartedBefore);
        Assert.Contains($"pool={pool}", Nav.Uri);
    }

    [Fact]
    public void Older_invocations_are_fetched_with_the_next_token()
    {
        Engine(r => r is ListTriggerInvocationsRequest l ? l.NextToken is null
            ? new ListTriggerInvocationsResponse { Invocations = [Add(2, user: "grace")], NextToken = "page-2" }
            : new ListTriggerInvocationsResponse { Invocations = [Add(1, user: "ada")] } : null);
        var page = OpenLog();
        page.WaitForAssertion(() => Assert.Equal(["grace"], Users(page)), Wait);
        Button(page, "older").Click();
        page.WaitForAssertion(() => Assert.Equal(["grace", "ada"], Users(page)), Wait);
        Assert.Equal("page-2", Cognito.Requests<ListTriggerInvocationsRequest>()[1].NextToken);
        Assert.True(Button(page, "older").HasAttribute("disabled"));
    }

    [Fact]
    public void Live_tail_adds_new_invocations_on_top_without_duplicates()
    {
        // The tail's timer runs on the pages' clock: each Tick is one period, so no test waits for real time to pass.
        var clock = Clock.Fake = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var every = TimeSpan.FromMilliseconds(100);
        int Polls() => Cognito.Requests<ListTriggerInvocationsRequest>().Count;
        void Tick(IRenderedComponent<TriggerLogs> page)
        {
            var before = Polls();
            clock.Advance(every);
            page.WaitForAssertion(() => Assert.True(Polls() > before), Wait);
        }
        pool = Cognito.AddPool("shop");
        var first = Add(1, user: "ada");
        Engine();
        var page = OpenLog(every);
        page.WaitForAssertion(() => Assert.Equal(["ada"], Users(page)), Wait);

        Input(page, "tail").Change(true);
        Tick(page);
        page.WaitForAssertion(() => Assert.Contains(Cognito.Requests<ListTriggerInvocationsRequest>(), r => r.StartedAfter == first.StartedAt), Wait);
        Add(5, user: "grace");
        Add(4, user: "alan");
        Tick(page);
        page.WaitForAssertion(() => Assert.Equal(["grace", "alan", "ada"], Users(page)), Wait);
        Add(6, user: "barbara");
        Tick(page);
        page.WaitForAssertion(() => Assert.Equal(["barbara", "grace", "alan", "ada"], Users(page)), Wait);
        // Later polls ask from the newest shown, which comes back every time: it is not added twice.
        var polls = Polls();
        for (var i = 0; i < 3; i++) Tick(page);
        page.WaitForAssertion(() => Assert.True(Polls() >= polls + 3), Wait);
        page.WaitForAssertion(() => Assert.Contains("3 new since the tail started", page.Find("[data-testid='tail-status']").TextContent), Wait);
        Assert.Equal(["barbara", "grace", "alan", "ada"], Users(page));
        Assert.Equal(T0.AddSeconds(6), Cognito.Requests<ListTriggerInvocationsRequest>()[^1].StartedAfter);
        Assert.Contains("3 new since the tail started", page.Find("[data-testid='tail-status']").TextContent);

        // Stopped, the tail asks nothing more however many periods pass, and a new invocation does not appear.
        Input(page, "tail").Change(false);
        var stopped = Polls();
        clock.Advance(every * 4);
        Assert.InRange(Polls(), stopped, stopped + 1);
        Add(7, user: "edsger");
        clock.Advance(every * 3);
        Assert.DoesNotContain("edsger", Users(page));
    }

    [Fact]
    public void The_live_tail_keeps_the_filter()
    {
        pool = Cognito.AddPool("shop");
        Engine();
        var page = OpenLog(TimeSpan.FromMilliseconds(100));
        Choose(page, "filter-outcome", "Failed");
        page.Find("form").Submit();
        Input(page, "tail").Change(true);
        Add(1, user: "ada");
        Add(2, user: "grace", outcome: "Failed");
        page.WaitForAssertion(() => Assert.Equal(["grace"], Users(page)), Wait);
        Assert.All(Cognito.Requests<ListTriggerInvocationsRequest>().Skip(1), r => Assert.Equal("Failed", r.Outcome));
    }

    [Fact]
    public void Log_errors_are_shown()
    {
        Engine();
        Cognito.Fail = r => r is ListTriggerInvocationsRequest ? new InvalidParameterException("StartedAfter must be before StartedBefore.") : null;
        var page = OpenLog();
        page.WaitForAssertion(() => Assert.Contains("Could not read the invocation log: StartedAfter must be before StartedBefore. (InvalidParameterException)",
            page.Find("[data-testid='logs-error']").TextContent), Wait);
    }

    [Fact]
    public void An_invocation_shows_its_event_response_and_console_output_side_by_side()
    {
        pool = Cognito.AddPool("shop");
        var i = Add(3, user: "grace", outcome: "Failed");
        Engine();
        var page = Ctx.Render<TriggerInvocation>(p => p.Add(x => x.Id, i.Id!.Value));
        page.WaitForElement("[data-testid='invocation-event']", Wait);
        Assert.Contains("\"userName\": \"grace\"", page.Find("[data-testid='invocation-event']").TextContent);
        Assert.Contains("\"password\": \"***\"", page.Find("[data-testid='invocation-event']").TextContent);
        Assert.Contains("\"department\": \"engineering\"", page.Find("[data-testid='invocation-response']").TextContent);
        Assert.Contains("adding a claim for grace", page.Find("[data-testid='invocation-logs']").TextContent);
        Assert.Contains("Error: no department for grace", page.Find("[data-testid='invocation-failure']").TextContent);
        var facts = page.Find("[data-testid='invocation-facts']").TextContent;
        Assert.Contains(pool, facts);
        Assert.Contains("TokenGeneration_HostedAuth", facts);
        Assert.Contains("portal-inline", facts);
        Assert.Contains("Failed", page.Find("[data-testid='outcome']").TextContent);
        Assert.Contains("2026-11-27 10:00:03.000 UTC", page.Markup);
        Assert.Equal(i.Id, Cognito.Requests<GetTriggerInvocationRequest>().Single().Id);
        // Each block scrolls on its own, so it can take the keyboard focus.
        Assert.All(page.FindAll("pre"), pre => Assert.Equal("0", pre.GetAttribute("tabindex")));
    }

    [Fact]
    public void Replay_reruns_the_event_and_shows_the_new_response()
    {
        pool = Cognito.AddPool("shop");
        var i = Add(3, user: "grace");
        Engine(r => r is ReplayTriggerInvocationRequest ? new ReplayTriggerInvocationResponse
        {
            Run = new TriggerRunType
            {
                Outcome = "Succeeded", DurationMs = 7, Event = i.Event, Logs = "replayed",
                Response = "{\"claimsOverrideDetails\":{\"claimsToAddOrOverride\":{\"department\":\"research\"}}}",
            },
        } : null);
        var page = Ctx.Render<TriggerInvocation>(p => p.Add(x => x.Id, i.Id!.Value));
        page.WaitForElement("[data-testid='replay']", Wait);
        Button(page, "replay").Click();
        page.WaitForElement("[data-testid='replay-run']", Wait);
        Assert.Equal(i.Id, Cognito.Requests<ReplayTriggerInvocationRequest>().Single().Id);
        Assert.Contains("\"department\": \"research\"", page.Find("[data-testid='replay-run-response']").TextContent);
        Assert.Contains("replayed", page.Find("[data-testid='replay-run-logs']").TextContent);
        // The logged response stays beside it.
        Assert.Contains("\"department\": \"engineering\"", page.Find("[data-testid='invocation-response']").TextContent);
    }

    [Fact]
    public void A_refused_replay_and_an_unknown_invocation_are_reported()
    {
        pool = Cognito.AddPool("shop");
        var i = Add(3);
        Engine();
        Cognito.Fail = r => r is ReplayTriggerInvocationRequest ? new ResourceNotFoundException("PreTokenGeneration is no longer configured for this pool.") : null;
        var page = Ctx.Render<TriggerInvocation>(p => p.Add(x => x.Id, i.Id!.Value));
        page.WaitForElement("[data-testid='replay']", Wait);
        Button(page, "replay").Click();
        page.WaitForAssertion(() => Assert.Contains("The replay did not run: PreTokenGeneration is no longer configured for this pool. (ResourceNotFoundException)",
            page.Find("[data-testid='replay-error']").TextContent), Wait);

        var missing = Guid.NewGuid();
        var gone = Ctx.Render<TriggerInvocation>(p => p.Add(x => x.Id, missing));
        gone.WaitForAssertion(() => Assert.Contains($"Could not read invocation {missing}", gone.Find("[data-testid='invocation-error']").TextContent), Wait);
    }

    [Fact]
    public void Viewers_see_an_invocation_without_replay()
    {
        pool = Cognito.AddPool("shop");
        var i = Add(3);
        Engine();
        var page = Ctx.Render<TriggerInvocation>(p => p.Add(x => x.Id, i.Id!.Value).AddCascadingValue(new OperatorAccess(OperatorRoles.Viewer)));
        page.WaitForElement("[data-testid='invocation-event']", Wait);
        Assert.Empty(page.FindAll("[data-testid='replay']"));
    }
}
