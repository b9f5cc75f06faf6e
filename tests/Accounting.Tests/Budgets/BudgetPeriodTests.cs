using Tokenwise.Accounting.Budgets;

namespace Tokenwise.Accounting.Tests.Budgets;

public sealed class BudgetPeriodTests
{
    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTimeOffset Utc(int y, int m, int d, int h, int min = 0) =>
        new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void A_day_starts_at_midnight_in_the_budgets_time_zone()
    {
        // 23:30 UTC on Nov 20 is already Nov 21 in Berlin (UTC+1).
        var (start, end) = BudgetPeriods.Containing(Utc(2026, 11, 20, 23, 30), "day", Zone("Europe/Berlin"));
        Assert.Equal(Utc(2026, 11, 20, 23), start);
        Assert.Equal(Utc(2026, 11, 21, 23), end);
    }

    [Fact]
    public void The_day_clocks_go_forward_is_23_hours_long()
    {
        // Berlin springs forward on 2026-03-29: midnight is UTC+1, the next midnight UTC+2.
        var (start, end) = BudgetPeriods.Containing(Utc(2026, 3, 29, 12), "day", Zone("Europe/Berlin"));
        Assert.Equal(Utc(2026, 3, 28, 23), start);
        Assert.Equal(Utc(2026, 3, 29, 22), end);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void A_week_starts_on_Monday_and_Sunday_night_belongs_to_the_week_before()
    {
        // Sunday 2026-11-22 23:30 in Tokyo (UTC+9) is 14:30 UTC; the week began Monday 2026-11-16 00:00 Tokyo.
        var (start, end) = BudgetPeriods.Containing(Utc(2026, 11, 22, 14, 30), "week", Zone("Asia/Tokyo"));
        Assert.Equal(Utc(2026, 11, 15, 15), start);
        Assert.Equal(Utc(2026, 11, 22, 15), end);
    }

    [Fact]
    public void A_month_starts_on_the_first_in_the_time_zone_not_in_UTC()
    {
        // 2026-12-01 05:00 UTC is still November 30 in Los Angeles (UTC-8).
        var (start, end) = BudgetPeriods.Containing(Utc(2026, 12, 1, 5), "month", Zone("America/Los_Angeles"));
        Assert.Equal(Utc(2026, 11, 1, 7), start); // Nov 1 is still daylight time (UTC-7)
        Assert.Equal(Utc(2026, 12, 1, 8), end);
    }

    [Fact]
    public void A_zone_with_a_half_hour_offset_gets_its_own_midnight()
    {
        var (start, _) = BudgetPeriods.Containing(Utc(2026, 11, 20, 20), "day", Zone("Asia/Kolkata"));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.FromHours(5.5)), start);
    }
}
