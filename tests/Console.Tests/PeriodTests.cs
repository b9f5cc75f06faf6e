using Tokenwise.Console.Pages.Shared;

namespace Tokenwise.Console.Tests;

public sealed class PeriodTests
{
    [Fact]
    public void Last_month_to_the_same_day_stops_at_its_last_day_when_it_is_shorter()
    {
        var march31 = new Period(new DateOnly(2026, 3, 31));
        Assert.Equal(new DateOnly(2026, 2, 1), march31.LastMonthStart);
        Assert.Equal(new DateOnly(2026, 2, 28), march31.LastMonthSameDay);
        Assert.Equal(new DateOnly(2026, 2, 28), march31.LastMonthEnd);
        Assert.Equal(new DateOnly(2026, 11, 2), new Period(new DateOnly(2026, 12, 2)).LastMonthSameDay);
    }

    [Fact]
    public void Eight_weeks_start_on_the_Monday_seven_weeks_before_this_weeks()
    {
        // 2026-12-02 is a Wednesday; its week began on Monday 2026-11-30.
        Assert.Equal(new DateOnly(2026, 10, 12), new Period(new DateOnly(2026, 12, 2)).Weeks8Start);
        Assert.Equal(new DateOnly(2026, 10, 12), new Period(new DateOnly(2026, 11, 30)).Weeks8Start);
        Assert.Equal(new DateOnly(2026, 10, 12), new Period(new DateOnly(2026, 12, 6)).Weeks8Start);
    }

    [Fact]
    public void Months_run_oldest_first_and_this_one_ends_today()
    {
        var months = new Period(new DateOnly(2026, 1, 15)).Months(3).ToList();
        Assert.Equal(
            [
                (new DateOnly(2025, 11, 1), new DateOnly(2025, 11, 30)),
                (new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 31)),
                (new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 15)),
            ],
            months
        );
    }
}
