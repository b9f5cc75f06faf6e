namespace Tokenwise.Testing;

/// <summary>ISO weeks as PostgreSQL's <c>date_trunc('week')</c> and the console name them: Monday first.</summary>
public static class IsoWeeks
{
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The first day of the eight whole weeks the console's overview shows, this week included.</summary>
    public static DateOnly EightWeeksTo(DateOnly today) => MondayOf(today).AddDays(-7 * 7);
}
