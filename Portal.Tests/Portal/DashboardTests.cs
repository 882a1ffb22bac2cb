using System.Globalization;
using Bunit;
using MudBlazor;
using Portal.Client.Contract;
using Portal.Client.Pages;

namespace Portal.Tests.Portal;

public sealed class DashboardTests : PortalPageTest
{
    static GetActivityStatisticsResponse Figures(int days) => new()
    {
        Days = Enumerable.Range(0, days).Select(i => new ActivityDayType
        {
            Date = new DateTime(2026, 11, 27).AddDays(i - days + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SignIns = i * 2, SignUps = i % 3,
        }).ToList(),
        Counting = "Sign-ins: one per token family.",
    };

    IRenderedComponent<Home> RenderHome()
    {
        // The page counts every pool of the engine: this test's two alone.
        UseOwnEngine();
        Cognito.AddPool("shop");
        Cognito.AddPool("staff");
        Cognito.Answer = request => request is GetActivityStatisticsRequest r ? Figures(r.Days ?? 14) : null;
        var page = Ctx.Render<Home>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<MudChart<double>>()), Wait);
        return page;
    }

    [Fact]
    public void The_chart_gets_the_sign_ins_and_sign_ups_of_each_day()
    {
        var page = RenderHome();
        var request = Cognito.Requests<GetActivityStatisticsRequest>().Single();
        Assert.Equal(14, request.Days);
        Assert.Null(request.UserPoolId);
        var chart = page.FindComponent<MudChart<double>>();
        var series = chart.Instance.ChartSeries;
        Assert.Equal(["Sign-ins", "Sign-ups"], series.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (double)(i * 2)), series[0].Data.Values);
        Assert.Equal(Enumerable.Range(0, 14).Select(i => (double)(i % 3)), series[1].Data.Values);
        Assert.Equal(14, chart.Instance.ChartLabels.Length);
        Assert.Contains("182 sign-ins and 13 sign-ups in the last 14 days", page.Find("[data-testid='activity-totals']").TextContent);
        Assert.Contains("one per token family", page.Find("[data-testid='activity-counting']").TextContent);
        // Every pool of this test's Portal: its own two (portal-admin and demo, made at first start) and the test's shop and staff.
        Assert.Equal("4", page.Find("[data-testid='pool-count']").TextContent);
    }

    [Fact]
    public void Thirty_days_and_one_pool_can_be_asked_for()
    {
        var page = RenderHome();
        page.FindAll("[data-testid='activity-days'] button").First(b => b.TextContent.Contains("30 days")).Click();
        page.WaitForAssertion(() => Assert.Equal(30, Cognito.Requests<GetActivityStatisticsRequest>().Last().Days), Wait);
        page.WaitForAssertion(() => Assert.Equal(30, page.FindComponent<MudChart<double>>().Instance.ChartSeries[0].Data.Values.Count), Wait);
        Choose(page, "activity-pool", "staff");
        page.WaitForAssertion(() => Assert.NotNull(Cognito.Requests<GetActivityStatisticsRequest>().Last().UserPoolId), Wait);
        Assert.Equal(30, Cognito.Requests<GetActivityStatisticsRequest>().Last().Days);
    }
}
