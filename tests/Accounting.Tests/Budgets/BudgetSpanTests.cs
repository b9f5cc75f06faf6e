using Tokenwise.Accounting.Budgets;

namespace Tokenwise.Accounting.Tests.Budgets;

/// <summary>How a budget's period splits into whole UTC days, the whole hours around them, and part-hours.</summary>
public sealed class BudgetSpanTests
{
    private static DateTimeOffset At(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_UTC_month_is_whole_days_alone()
    {
        var (firstHour, endHour) = BudgetSpend.WholeHours(At("2026-12-01T00:00Z"), At("2027-01-01T00:00Z"));
        Assert.Equal((At("2026-12-01T00:00Z"), At("2027-01-01T00:00Z")), (firstHour, endHour));
        Assert.Equal((firstHour, endHour), BudgetSpend.WholeDays(firstHour, endHour));
    }

    [Fact]
    public void A_month_in_Berlin_is_whole_days_between_an_hour_at_each_end()
    {
        // 1 December 00:00 in Berlin is 30 November 23:00 UTC.
        var (firstHour, endHour) = BudgetSpend.WholeHours(At("2026-11-30T23:00Z"), At("2026-12-31T23:00Z"));
        Assert.Equal((At("2026-12-01T00:00Z"), At("2026-12-31T00:00Z")), BudgetSpend.WholeDays(firstHour, endHour));
    }

    [Fact]
    public void A_day_in_India_has_part_hours_whole_hours_and_no_whole_UTC_day()
    {
        // 3 December in Kolkata (UTC+5:30): 2 December 18:30 to 3 December 18:30 UTC.
        var (firstHour, endHour) = BudgetSpend.WholeHours(At("2026-12-02T18:30Z"), At("2026-12-03T18:30Z"));
        Assert.Equal((At("2026-12-02T19:00Z"), At("2026-12-03T18:00Z")), (firstHour, endHour));
        Assert.Equal((endHour, endHour), BudgetSpend.WholeDays(firstHour, endHour));
    }

    [Fact]
    public void A_trailing_week_ending_now_has_whole_days_inside_it()
    {
        var (firstHour, endHour) = BudgetSpend.WholeHours(At("2026-11-26T10:00Z"), At("2026-12-03T10:20Z"));
        Assert.Equal((At("2026-11-26T10:00Z"), At("2026-12-03T10:00Z")), (firstHour, endHour));
        Assert.Equal((At("2026-11-27T00:00Z"), At("2026-12-03T00:00Z")), BudgetSpend.WholeDays(firstHour, endHour));
    }
}
