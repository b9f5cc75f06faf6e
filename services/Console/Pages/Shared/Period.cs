using System.Globalization;

namespace Tokenwise.Console.Pages.Shared;

/// <summary>The UTC days a page reads: this month so far, last month, the last 30 days, the last 8 weeks.</summary>
public sealed record Period(DateOnly Today)
{
    public static Period Now(TimeProvider clock) => new(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    public DateOnly MonthStart => new(Today.Year, Today.Month, 1);
    public DateOnly LastMonthStart => MonthStart.AddMonths(-1);
    public DateOnly LastMonthEnd => MonthStart.AddDays(-1);

    /// <summary>Last month up to the same day of the month as today (its last day when it is shorter).</summary>
    public DateOnly LastMonthSameDay => LastMonthStart.AddDays(Math.Min(Today.Day, LastMonthEnd.Day) - 1);
    public DateOnly Last30Start => Today.AddDays(-29);

    /// <summary>Eight whole weeks from a Monday, this week included.</summary>
    public DateOnly Weeks8Start => Today.AddDays(-(((int)Today.DayOfWeek + 6) % 7) - 7 * 7);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The first day of each of the last <paramref name="months"/> months, oldest first, this one included.</summary>
    public IEnumerable<(DateOnly From, DateOnly To)> Months(int months) =>
        Enumerable
            .Range(0, months)
            .Reverse()
            .Select(back => MonthStart.AddMonths(-back))
            .Select(start => (start, back: start.AddMonths(1).AddDays(-1)))
            .Select(m => (m.start, m.back < Today ? m.back : Today));
}
