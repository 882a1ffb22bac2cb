using System.Globalization;
using Bunit;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class OutboxPageTests : PortalPageTest
{
    string pool = "";

    IRenderedComponent<Outbox> RenderOutbox(int count)
    {
        pool = Cognito.AddPool("shop");
        var all = Enumerable.Range(0, count).Select(i => new OutboxMessageType
        {
            Id = Guid.NewGuid().ToString(), UserPoolId = pool, Channel = i % 2 == 0 ? "EMAIL" : "SMS", Destination = i % 2 == 0 ? $"user{i}@example.com" : "+15555550100",
            Subject = i % 2 == 0 ? "Your verification code" : null, Body = $"Message {i}: your verification code is ••••••. ",
            Status = i == 0 ? "Failed: connection refused" : "Recorded", CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-i),
        }).ToList();
        Cognito.Answer = request => request is ListOutboxMessagesRequest r
            ? new ListOutboxMessagesResponse
            {
                Messages = all.Where(m => r.Channel is null || m.Channel == r.Channel).Skip(int.Parse(r.NextToken ?? "0", CultureInfo.InvariantCulture)).Take(r.Limit ?? 25).ToList(),
                NextToken = int.Parse(r.NextToken ?? "0", CultureInfo.InvariantCulture) + (r.Limit ?? 25) < all.Count(m => r.Channel is null || m.Channel == r.Channel)
                    ? (int.Parse(r.NextToken ?? "0", CultureInfo.InvariantCulture) + (r.Limit ?? 25)).ToString(CultureInfo.InvariantCulture) : null,
            }
            : null;
        Nav.NavigateTo($"outbox?pool={pool}");
        var page = Ctx.Render<Outbox>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='outbox-body']")), Wait);
        return page;
    }

    [Fact]
    public void Messages_of_the_pool_show_newest_first_with_codes_masked()
    {
        var page = RenderOutbox(3);
        var request = Cognito.Requests<ListOutboxMessagesRequest>().Last();
        Assert.Equal(pool, request.UserPoolId);
        Assert.Null(request.NextToken);
        var bodies = page.FindAll("[data-testid='outbox-body']").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.StartsWith("Your verification code", bodies[0]);
        Assert.Contains("Message 0: your verification code is ••••••.", bodies[0]);
        Assert.Contains("user0@example.com", page.Markup);
        Assert.Contains("+15555550100", page.Markup);
        Assert.Contains("connection refused", page.Markup);
        Assert.Contains("only", page.Find("[data-testid='outbox-note']").TextContent);
    }

    [Fact]
    public void Pages_follow_the_next_token_and_the_channel_filter()
    {
        var page = RenderOutbox(30);
        Assert.Equal(25, page.FindAll("[data-testid='outbox-body']").Count);
        Button(page, "outbox-pager-next").Click();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid='outbox-body']").Count), Wait);
        Assert.Equal("25", Cognito.Requests<ListOutboxMessagesRequest>().Last().NextToken);

        Choose(page, "outbox-channel", "SMS");
        page.WaitForAssertion(() => Assert.Equal("SMS", Cognito.Requests<ListOutboxMessagesRequest>().Last().Channel), Wait);
        Assert.Null(Cognito.Requests<ListOutboxMessagesRequest>().Last().NextToken);
        page.WaitForAssertion(() => Assert.Equal(15, page.FindAll("[data-testid='outbox-body']").Count), Wait);
    }

    [Fact]
    public void An_engine_error_is_shown_readably()
    {
        pool = Cognito.AddPool("shop");
        Cognito.Fail = r => r is ListOutboxMessagesRequest ? new AccessDeniedException("Your role (none) may not ListOutboxMessages.") : null;
        Nav.NavigateTo($"outbox?pool={pool}");
        var page = Ctx.Render<Outbox>();
        page.WaitForAssertion(() => Assert.Contains("Could not read the outbox: Your role (none) may not ListOutboxMessages. (AccessDeniedException)",
            page.Find("[data-testid='outbox-error']").TextContent), Wait);
    }
}
