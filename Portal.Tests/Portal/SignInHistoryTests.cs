using System.Globalization;
using Bunit;
using Portal.Client.Components;
using Portal.Client.Contract;
using Portal.Client.Pages;
using Portal.Client.Security;

namespace Portal.Tests.Portal;

/// <summary>The sign-in history section against the engine, whose <c>Answer</c> hook plays
/// AdminListUserAuthEvents (pages of a fixed list, newest first) and AdminUpdateAuthEventFeedback.</summary>
public sealed class SignInHistoryTests : PortalPageTest
{
    const string Pool = "eu-west-1_History1";
    static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    readonly List<AuthEventType> stored = [];
    readonly List<AdminUpdateAuthEventFeedbackRequest> feedback = [];
    /// <summary>The reasons ListAuthEventReasons answers, by event id (none: the extension is not answered).</summary>
    readonly Dictionary<string, List<RiskReasonType>> reasons = [];
    Exception? listFailure, feedbackFailure;

    static AuthEventType Event(int i, string type = "SignIn", string response = "Pass", params ChallengeResponseType[] challenges) => new()
    {
        EventId = $"ev-{i:D3}",
        EventType = type,
        EventResponse = response,
        CreationDate = Start.AddMinutes(-i),
        ChallengeResponses = [.. challenges],
        EventContextData = new EventContextDataType { IpAddress = $"203.0.113.{i}", DeviceName = "Firefox on Linux", City = "Lyon", Country = "France" },
        EventRisk = new EventRiskType { RiskDecision = "NoRisk", RiskLevel = "Low", CompromisedCredentialsDetected = false },
    };

    object? Answer(object request) => request switch
    {
        AdminListUserAuthEventsRequest r => List(r),
        AdminUpdateAuthEventFeedbackRequest r => Feedback(r),
        ListAuthEventReasonsRequest r when reasons.Count > 0 => new ListAuthEventReasonsResponse
        {
            Events = [.. r.EventIds!.Where(reasons.ContainsKey).Select(id => new AuthEventReasonsType { EventId = id, Reasons = reasons[id] })],
        },
        _ => null,
    };

    AdminListUserAuthEventsResponse List(AdminListUserAuthEventsRequest r)
    {
        if (listFailure is not null) throw listFailure;
        var from = r.NextToken is null ? 0 : int.Parse(r.NextToken["page-".Length..], CultureInfo.InvariantCulture);
        var size = r.MaxResults is > 0 ? r.MaxResults.Value : 60;
        var page = stored.Skip(from).Take(size).ToList();
        return new AdminListUserAuthEventsResponse
        {
            AuthEvents = page,
            NextToken = from + size < stored.Count ? $"page-{from + size}" : null,
        };
    }

    AdminUpdateAuthEventFeedbackResponse Feedback(AdminUpdateAuthEventFeedbackRequest r)
    {
        if (feedbackFailure is not null) throw feedbackFailure;
        feedback.Add(r);
        return new AdminUpdateAuthEventFeedbackResponse();
    }

    IRenderedComponent<SignInHistory> Open(OperatorAccess? access = null)
    {
        Cognito.Answer = Answer;
        var page = Ctx.Render<SignInHistory>(p =>
        {
            p.Add(x => x.UserPoolId, Pool).Add(x => x.Username, "dora");
            if (access is not null) p.AddCascadingValue(access);
        });
        page.WaitForAssertion(() => Assert.NotEmpty(Cognito.Requests<AdminListUserAuthEventsRequest>()), Wait);
        return page;
    }

    static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [Fact]
    public void Rows_show_the_events_in_human_words_with_their_outcome()
    {
        stored.Add(Event(0, "SignIn", "Pass", new ChallengeResponseType { ChallengeName = "Password", ChallengeResponse = "Success" },
            new ChallengeResponseType { ChallengeName = "Mfa", ChallengeResponse = "Success" }));
        stored.Add(Event(1, "SignIn", "Fail", new ChallengeResponseType { ChallengeName = "Password", ChallengeResponse = "Failure" }) with
        {
            EventRisk = new EventRiskType { RiskDecision = "Block", RiskLevel = "High", CompromisedCredentialsDetected = true },
        });
        stored.Add(Event(2, "SignUp", "InProgress"));
        stored.Add(Event(3, "ForgotPassword"));
        stored.Add(Event(4, "PasswordChange"));
        stored.Add(Event(5, "ResendCode") with { EventFeedback = new EventFeedbackType { FeedbackValue = "Valid", Provider = "Admin" } });

        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("[data-testid='history-row']").Count), Wait);
        var request = Cognito.Requests<AdminListUserAuthEventsRequest>().Single();
        Assert.Equal((Pool, "dora", 10, (string?)null), (request.UserPoolId, request.Username, request.MaxResults, request.NextToken));

        var rows = page.FindAll("[data-testid='history-row']");
        var first = rows[0].TextContent;
        Assert.Contains(Local(Start), first);
        Assert.Contains("Sign-in", first);
        Assert.Contains("Passed", first);
        Assert.Contains("Password ✓", first);
        Assert.Contains("MFA ✓", first);
        Assert.Contains("203.0.113.0", first);
        Assert.Contains("Firefox on Linux", first);
        Assert.Contains("Low risk", first);

        var failed = rows[1].TextContent;
        Assert.Contains("Failed", failed);
        Assert.Contains("Password ✗", failed);
        Assert.Contains("High risk", failed);
        Assert.Contains("compromised credentials", failed);
        Assert.Contains("mud-chip-color-error", rows[1].InnerHtml);

        Assert.Contains("Sign-up", rows[2].TextContent);
        Assert.Contains("In progress", rows[2].TextContent);
        Assert.Contains("Password reset", rows[3].TextContent);
        Assert.Contains("Password change", rows[4].TextContent);
        Assert.Contains("Code resent", rows[5].TextContent);
        Assert.Contains("Mine (Valid)", rows[5].TextContent);
        Assert.Empty(page.FindAll("[data-testid='feedback-valid-ev-005']"));
        Assert.Empty(page.FindAll("[data-testid='history-more']"));
        Assert.Empty(page.FindAll("[data-testid='history-error']"));
    }

    [Fact]
    public void Each_event_shows_its_level_decision_compromised_flag_reasons_and_feedback()
    {
        stored.Add(Event(0) with
        {
            EventRisk = new EventRiskType { RiskDecision = "Block", RiskLevel = "High", CompromisedCredentialsDetected = true },
            EventFeedback = new EventFeedbackType { FeedbackValue = "Invalid", Provider = "Admin" },
        });
        stored.Add(Event(1) with { EventRisk = new EventRiskType { RiskDecision = "AccountTakeover", RiskLevel = "Medium", CompromisedCredentialsDetected = false } });
        stored.Add(Event(2));
        reasons["ev-000"] =
        [
            new RiskReasonType { Code = "compromised-credentials", Sentence = "Password found in a breached-password list at sign-in (source: range API, seen 12,345 times); blocked" },
            new RiskReasonType { Code = "blocked-range", Sentence = "The address 203.0.113.0 is in a blocked range (203.0.113.0/24)." },
        ];
        reasons["ev-001"] = [new RiskReasonType { Code = "new-device", Sentence = "A device never seen for this user (Firefox on Linux)." }];

        var page = Open();
        page.WaitForElement("[data-testid='reasons-ev-001']", Wait);
        var asked = Cognito.Requests<ListAuthEventReasonsRequest>().Single();
        Assert.Equal((Pool, "dora"), (asked.UserPoolId, asked.Username));
        Assert.Equal(["ev-000", "ev-001", "ev-002"], asked.EventIds!);

        var first = page.Find("[data-testid='risk-ev-000']");
        Assert.StartsWith("High risk, blocked, compromised credentials", first.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["Password found in a breached-password list at sign-in (source: range API, seen 12,345 times); blocked",
                      "The address 203.0.113.0 is in a blocked range (203.0.113.0/24)."],
            page.FindAll("[data-testid='reasons-ev-000'] li").Select(li => li.TextContent));
        Assert.Contains("Not mine (Invalid)", page.FindAll("[data-testid='history-row']")[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Medium risk, account takeover", page.Find("[data-testid='risk-ev-001']").TextContent, StringComparison.Ordinal);
        Assert.Equal("A device never seen for this user (Firefox on Linux).", page.Find("[data-testid='reasons-ev-001'] li").TextContent);
        Assert.Empty(page.FindAll("[data-testid='reasons-ev-002']"));
        Assert.Equal("Low risk, no risk", page.Find("[data-testid='risk-ev-002']").TextContent.Trim());
    }

    [Fact]
    public void Rows_show_without_reasons_when_they_cannot_be_read()
    {
        stored.Add(Event(0));
        // No answer for ListAuthEventReasons: the engine answers for a pool it does not have.
        var page = Open();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='history-row']")), Wait);
        page.WaitForAssertion(() => Assert.Single(Cognito.Requests<ListAuthEventReasonsRequest>()), Wait);
        Assert.Empty(page.FindAll("[data-testid^='reasons-']"));
        Assert.Empty(page.FindAll("[data-testid='history-error']"));
    }

    [Fact]
    public void No_events_shows_the_empty_state()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("No sign-in events yet.", page.Find("[data-testid='sign-in-history']").TextContent), Wait);
        Assert.Empty(page.FindAll("[data-testid='history-row']"));
        Assert.Empty(page.FindAll("[data-testid='history-more']"));
    }

    [Fact]
    public void Load_more_follows_the_next_token_and_appends_rows()
    {
        for (var i = 0; i < 23; i++) stored.Add(Event(i));
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("[data-testid='history-row']").Count), Wait);

        Button(page, "history-more").Click();
        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[data-testid='history-row']").Count), Wait);
        Assert.Equal("page-10", Cognito.Requests<AdminListUserAuthEventsRequest>()[1].NextToken);

        Button(page, "history-more").Click();
        page.WaitForAssertion(() => Assert.Equal(23, page.FindAll("[data-testid='history-row']").Count), Wait);
        Assert.Equal("page-20", Cognito.Requests<AdminListUserAuthEventsRequest>()[2].NextToken);
        Assert.Empty(page.FindAll("[data-testid='history-more']"));

        // Appended in order: newest first, the last row is the oldest event.
        var rows = page.FindAll("[data-testid='history-row']");
        Assert.Equal("ev-000", rows[0].GetAttribute("data-event-id"));
        Assert.Equal("ev-022", rows[22].GetAttribute("data-event-id"));
        Assert.Equal(3, Cognito.Requests<AdminListUserAuthEventsRequest>().Count);
    }

    [Fact]
    public void Threat_protection_off_shows_a_calm_message_with_a_link_to_the_pool()
    {
        listFailure = new UserPoolAddOnNotEnabledException("Advanced security features are not enabled for this user pool.");
        var page = Open();
        page.WaitForElement("[data-testid='history-not-enabled']", Wait);
        var message = page.Find("[data-testid='history-not-enabled']");
        Assert.Contains("Audit or Enforced", message.TextContent);
        Assert.Contains("Plus", message.TextContent);
        Assert.Contains("mud-alert-text-info", message.ClassList);
        Assert.Equal($"pools/{Pool}", message.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid='history-error']"));
        Assert.DoesNotContain("UserPoolAddOnNotEnabledException", page.Markup);
    }

    [Fact]
    public void Another_error_is_shown_as_readable_text()
    {
        listFailure = new UserNotFoundException("User does not exist.");
        var page = Open();
        page.WaitForElement("[data-testid='history-error']", Wait);
        Assert.Equal("Could not read the sign-in history: User does not exist. (UserNotFoundException)",
            page.Find("[data-testid='history-error']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='history-not-enabled']"));
        Assert.DoesNotContain("No sign-in events yet.", page.Markup);
    }

    [Fact]
    public void Feedback_buttons_send_the_right_request_and_update_the_row()
    {
        stored.Add(Event(0));
        stored.Add(Event(1, "SignIn", "Fail"));
        var page = Open();
        page.WaitForElement("[data-testid='feedback-invalid-ev-001']", Wait);
        Assert.StartsWith("Not mine", Button(page, "feedback-invalid-ev-001").GetAttribute("aria-label"));
        Assert.StartsWith("Mine", Button(page, "feedback-valid-ev-000").GetAttribute("aria-label"));

        Button(page, "feedback-invalid-ev-001").Click();
        page.WaitForAssertion(() => Assert.Contains("Not mine (Invalid)", page.FindAll("[data-testid='history-row']")[1].TextContent), Wait);
        var sent = Assert.Single(feedback);
        Assert.Equal((Pool, "dora", "ev-001", "Invalid"), (sent.UserPoolId, sent.Username, sent.EventId, sent.FeedbackValue));
        Assert.Empty(page.FindAll("[data-testid='feedback-invalid-ev-001']"));
        Assert.Contains(Snackbars, s => s!.Contains("not mine"));

        Button(page, "feedback-valid-ev-000").Click();
        page.WaitForAssertion(() => Assert.Contains("Mine (Valid)", page.FindAll("[data-testid='history-row']")[0].TextContent), Wait);
        Assert.Equal(("ev-000", "Valid"), (feedback[1].EventId, feedback[1].FeedbackValue));
    }

    [Fact]
    public void A_feedback_error_is_shown_next_to_the_table_and_the_buttons_stay()
    {
        stored.Add(Event(0));
        feedbackFailure = new InvalidParameterException("Event does not exist.");
        var page = Open();
        page.WaitForElement("[data-testid='feedback-valid-ev-000']", Wait);
        Button(page, "feedback-valid-ev-000").Click();
        page.WaitForElement("[data-testid='feedback-error']", Wait);
        Assert.Contains("Event does not exist. (InvalidParameterException)", page.Find("[data-testid='feedback-error']").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid='feedback-valid-ev-000']"));
    }

    [Fact]
    public void A_viewer_sees_the_history_without_feedback_buttons()
    {
        stored.Add(Event(0));
        stored.Add(Event(1) with { EventFeedback = new EventFeedbackType { FeedbackValue = "Invalid", Provider = "Admin" } });
        var page = Open(new OperatorAccess(OperatorRoles.Viewer));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid='history-row']").Count), Wait);
        Assert.Empty(page.FindAll("[data-testid^='feedback-valid-']"));
        Assert.Empty(page.FindAll("[data-testid^='feedback-invalid-']"));
        Assert.Contains("Not mine (Invalid)", page.FindAll("[data-testid='history-row']")[1].TextContent);
    }

    [Fact]
    public void The_user_detail_page_shows_the_section_for_its_user()
    {
        var pool = Cognito.AddPool("staff");
        Cognito.AddUser(pool, "dora", ("email", "dora@example.com"));
        Cognito.Answer = req => req switch
        {
            AdminListUserAuthEventsRequest r when r.UserPoolId == pool && r.Username == "dora" =>
                new AdminListUserAuthEventsResponse { AuthEvents = [Event(0)] },
            _ => null,
        };
        Nav.NavigateTo($"users/{pool}/dora");
        var page = Ctx.Render<UserDetail>(p => p.Add(x => x.Pool, pool).Add(x => x.Username, "dora"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid='history-row']")), Wait);
        Assert.Contains("Sign-in history", page.Find("[data-testid='sign-in-history']").TextContent);
    }
}

/// <summary>The section in a real browser against a real Portal: events made by real sign-ins, axe in both themes,
/// feedback by keyboard, and screenshots.</summary>
[Collection(global::Portal.Tests.Infrastructure.ServerCollection.Name)]
public sealed class SignInHistoryBrowserTests(global::Portal.Tests.Infrastructure.PortalServer server, global::Portal.Tests.Infrastructure.Browser browser)
    : IClassFixture<global::Portal.Tests.Infrastructure.Browser>
{
    [Fact]
    public async Task Real_sign_ins_show_up_pass_axe_in_both_themes_and_take_feedback_by_keyboard()
    {
        var kit = new global::Portal.Tests.Auth.AuthKit(server);
        var app = await kit.Pool(new CreateUserPoolRequest
        {
            UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" }, AutoVerifiedAttributes = ["email"],
        });
        await kit.User(app.PoolId, "ada");
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "ada", "Wrong-Passw0rd!"));
        await kit.PasswordSignIn(app, "ada");
        var events = (await kit.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = app.PoolId, Username = "ada" })).AuthEvents!;
        Assert.Equal(2, events.Count);

        var page = await browser.NewPage(1280, 900);
        await global::Portal.Tests.Infrastructure.PortalSignIn.AsAdministrator(page, server);
        await page.Context.AddInitScriptAsync(File.ReadAllText(Path.Combine(global::Portal.Tests.Infrastructure.PortalServer.RepositoryRoot,
            "Portal.Tests", "compat", "node_modules", "axe-core", "axe.min.js")));
        await ScenarioPortal.Settle(page, $"{server.BaseUrl}/users/{app.PoolId}/ada");
        var rows = page.GetByTestId("history-row");
        await Microsoft.Playwright.Assertions.Expect(rows).ToHaveCountAsync(2);
        await Microsoft.Playwright.Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Passed");
        await Microsoft.Playwright.Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Failed");
        await Microsoft.Playwright.Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Password ✗");

        var violations = new List<string>();
        violations.AddRange(await Serious(page, "light"));
        // The section itself: a full-page shot of a scrolled page draws the fixed app bar in its middle.
        await page.GetByTestId("sign-in-history").ScreenshotAsync(new() { Path = Path.Combine(global::Portal.Tests.Infrastructure.Browser.ScreenshotFolder, "portal-sign-in-history.png") });

        // Keyboard: focus the failed sign-in's "Not mine" and press Enter.
        var failedId = events[1].EventId!;
        var notMine = page.Locator($"[data-testid='feedback-invalid-{failedId}']");
        await notMine.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Microsoft.Playwright.Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Not mine (Invalid)");
        await Microsoft.Playwright.Assertions.Expect(ScenarioPortal.Snackbar(page, "not mine")).ToBeVisibleAsync();
        var stored = (await kit.Admin.Send(new AdminListUserAuthEventsRequest { UserPoolId = app.PoolId, Username = "ada" })).AuthEvents!;
        Assert.Equal("Invalid", stored.Single(e => e.EventId == failedId).EventFeedback?.FeedbackValue);

        await PortalAxeTests.Dark(page);
        violations.AddRange(await Serious(page, "dark"));
        await page.GetByTestId("sign-in-history").ScreenshotAsync(new() { Path = Path.Combine(global::Portal.Tests.Infrastructure.Browser.ScreenshotFolder, "portal-sign-in-history-dark.png") });
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    static async Task<List<string>> Serious(Microsoft.Playwright.IPage page, string theme)
    {
        var json = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', '))");
        return json.EnumerateArray().Select(v => $"{theme}: {v.GetString()}").ToList();
    }
}
