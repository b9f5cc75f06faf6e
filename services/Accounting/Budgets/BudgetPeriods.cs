namespace Tokenwise.Accounting.Budgets;

/// <summary>
/// Budget periods in the budget's own time zone: a day starts at local midnight, a week on Monday at midnight, a
/// month on the 1st at midnight. Daylight-saving days are 23 or 25 hours long, as the clocks on the wall say.
/// </summary>
public static class BudgetPeriods
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string> { "day", "week", "month" };

    public static (DateTimeOffset Start, DateTimeOffset End) Containing(
        DateTimeOffset at,
        string period,
        TimeZoneInfo zone
    )
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime.Date;
        var (start, next) = period switch
        {
            "day" => (local, local.AddDays(1)),
            "week" => (
                local.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
                local.AddDays(-(((int)local.DayOfWeek + 6) % 7) + 7)
            ),
            "month" => (
                new DateTime(local.Year, local.Month, 1),
                new DateTime(local.Year, local.Month, 1).AddMonths(1)
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "day, week or month"),
        };
        return (AtLocal(start, zone), AtLocal(next, zone));
    }

    /// <summary>The instant of a local wall-clock time; a midnight skipped by a DST jump means the first instant after it.</summary>
    private static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wall))
            wall = wall.AddMinutes(15);
        return new DateTimeOffset(
            wall,
            zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max() : zone.GetUtcOffset(wall)
        );
    }
}
