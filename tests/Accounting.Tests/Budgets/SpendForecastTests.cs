using Tokenwise.Accounting.Budgets;

namespace Tokenwise.Accounting.Tests.Budgets;

public sealed class SpendForecastTests
{
    private static readonly DateTimeOffset MonthStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MonthEnd = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A steady $10 a day since the 1st, seen at midnight of the given day.</summary>
    private static Forecast Steady(int dayOfMonth, decimal? amount)
    {
        var now = MonthStart.AddDays(dayOfMonth - 1);
        var start = SpendForecast.Window(MonthStart, now).Start;
        var spent = 10m * (dayOfMonth - 1);
        var window = 10m * (decimal)(now - start).TotalDays;
        return SpendForecast.Project(spent, window, start, now, MonthEnd, amount);
    }

    [Fact]
    public void A_steady_ten_dollars_a_day_projects_three_hundred_for_a_thirty_day_month()
    {
        var forecast = Steady(16, amount: null);

        Assert.Equal(300m, forecast.ProjectedUsd);
        Assert.Equal(10m, forecast.DailyRateUsd);
        Assert.Null(forecast.RunsOutAt);
    }

    [Fact]
    public void A_budget_below_the_pace_runs_out_on_the_day_the_line_crosses_it()
    {
        var forecast = Steady(16, amount: 200m);

        // $150 spent on the 16th at $10 a day reaches $200 five days later.
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), forecast.RunsOutAt);
        Assert.True(SpendForecast.RunsOutEarly(forecast, MonthStart.AddDays(15), MonthEnd));
    }

    [Fact]
    public void A_budget_the_pace_reaches_only_after_the_period_ends_does_not_run_out()
    {
        var forecast = Steady(16, amount: 300.01m);

        Assert.Null(forecast.RunsOutAt);
        Assert.False(SpendForecast.RunsOutEarly(forecast, MonthStart.AddDays(15), MonthEnd));
    }

    [Fact]
    public void A_spent_budget_has_run_out_now_and_is_not_heading_to()
    {
        var now = MonthStart.AddDays(10);
        var forecast = SpendForecast.Project(250m, 70m, now.AddDays(-7), now, MonthEnd, 200m);

        Assert.Equal(now, forecast.RunsOutAt);
        Assert.False(SpendForecast.RunsOutEarly(forecast, now, MonthEnd));
    }

    [Fact]
    public void The_rate_follows_the_last_week_not_the_whole_period()
    {
        // $5 a day for two weeks, then $20 a day for the last seven: the rate is $20.
        var now = MonthStart.AddDays(21);
        var forecast = SpendForecast.Project(5m * 14 + 20m * 7, 20m * 7, now.AddDays(-7), now, MonthEnd, null);

        Assert.Equal(20m, forecast.DailyRateUsd);
        Assert.Equal(210m + 20m * 9, forecast.ProjectedUsd);
    }

    [Fact]
    public void An_hour_old_period_is_read_over_a_whole_day_so_one_request_does_not_project_a_fortune()
    {
        var now = MonthStart.AddHours(1);
        var forecast = SpendForecast.Project(2m, 2m, MonthStart, now, MonthEnd, null);

        Assert.Equal(2m, forecast.DailyRateUsd);
        Assert.Equal(Math.Round(2m + 2m * (decimal)(MonthEnd - now).TotalDays, 2), forecast.ProjectedUsd);
    }

    [Fact]
    public void Nothing_spent_lately_projects_what_is_spent_and_never_runs_out()
    {
        var now = MonthStart.AddDays(20);
        var forecast = SpendForecast.Project(40m, 0m, now.AddDays(-7), now, MonthEnd, 50m);

        Assert.Equal((40m, 0m), (forecast.ProjectedUsd, forecast.DailyRateUsd));
        Assert.Null(forecast.RunsOutAt);
    }

    [Fact]
    public void The_window_starts_at_the_period_start_while_the_period_is_younger_than_a_week() =>
        Assert.Equal(MonthStart, SpendForecast.Window(MonthStart, MonthStart.AddDays(3)).Start);

    [Fact]
    public void The_window_runs_from_midnight_a_week_ago_to_the_end_of_the_current_hour()
    {
        var now = new DateTimeOffset(2026, 11, 20, 14, 25, 10, TimeSpan.Zero);
        Assert.Equal(
            (
                new DateTimeOffset(2026, 11, 13, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero)
            ),
            SpendForecast.Window(MonthStart, now)
        );
        // A period that began on a half hour (India's midnight) opens its window at the start of that UTC hour.
        var indianMonth = new DateTimeOffset(2026, 11, 30, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal(
            new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero),
            SpendForecast.Window(indianMonth, indianMonth.AddDays(2)).Start
        );
    }
}
