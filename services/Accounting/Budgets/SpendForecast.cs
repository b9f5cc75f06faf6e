using Tokenwise.Accounting.Spend.SpendLedger;

namespace Tokenwise.Accounting.Budgets;

/// <summary>Where a period's spend is heading: its projected total at the period's end, and when it runs out.</summary>
public sealed record Forecast(decimal ProjectedUsd, decimal DailyRateUsd, DateTimeOffset? RunsOutAt);

/// <summary>
/// The forecast method, pure: spend so far, plus the recent daily rate for the rest of the period. The rate is the
/// spend of the trailing window (the last <see cref="TrailingDays"/> days, or the period so far when it is younger)
/// divided by the window's length in days; a window shorter than <see cref="ShortestWindow"/> is stretched to it, so
/// an hour-old period's first request does not project a fortune. A budget runs out when spent + rate × time reaches
/// its amount: now if it already has, never (null) if that falls after the period's end or nothing is being spent.
/// Straight-line on purpose: a manager can check it by hand, and a week smooths the weekend dip.
/// </summary>
public static class SpendForecast
{
    public const int TrailingDays = 7;
    public static readonly TimeSpan ShortestWindow = TimeSpan.FromDays(1);

    /// <summary>
    /// The trailing window a forecast made at <paramref name="now"/> reads: the last <see cref="TrailingDays"/> whole UTC
    /// days and today so far (or the period so far, when it is younger), to the end of the current hour, whose spend so
    /// far is what has happened by now. Whole days and hours, so the daily and hourly spend tables answer it without
    /// the charge ledger.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(DateTimeOffset periodStart, DateTimeOffset now) =>
        (
            Max(
                HourlySpendKey.HourOf(periodStart),
                new DateTimeOffset(now.UtcDateTime.Date.AddDays(-TrailingDays), TimeSpan.Zero)
            ),
            HourlySpendKey.HourOf(now).AddHours(1)
        );

    public static Forecast Project(
        decimal spentInPeriod,
        decimal spentInWindow,
        DateTimeOffset windowStart,
        DateTimeOffset now,
        DateTimeOffset periodEnd,
        decimal? amountUsd
    )
    {
        var windowDays = (decimal)Max(now - windowStart, ShortestWindow).TotalDays;
        var rate = Math.Round(spentInWindow / windowDays, 6);
        var remainingDays = (decimal)Max(periodEnd - now, TimeSpan.Zero).TotalDays;
        var projected = Math.Round(spentInPeriod + rate * remainingDays, 2);
        DateTimeOffset? runsOut = null;
        if (amountUsd is { } amount)
        {
            if (spentInPeriod >= amount)
                runsOut = now;
            else if (rate > 0)
            {
                var days = (double)((amount - spentInPeriod) / rate);
                var at = days < (periodEnd - now).TotalDays ? now.AddDays(days) : (DateTimeOffset?)null;
                runsOut = at;
            }
        }
        return new Forecast(projected, Math.Round(rate, 2), runsOut);
    }

    /// <summary>Is the budget heading to run out before its period ends (and has not yet)?</summary>
    public static bool RunsOutEarly(Forecast forecast, DateTimeOffset now, DateTimeOffset periodEnd) =>
        forecast.RunsOutAt is { } at && at > now && at < periodEnd;

    private static T Max<T>(T a, T b)
        where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;
}
