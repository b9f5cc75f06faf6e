using Tokenwise.Alerting.Alerts;

namespace Tokenwise.Alerting.Rules;

/// <summary>A user's or team's spend: the last hour, the trailing hourly baseline, and (users) today in UTC.</summary>
public sealed record SpendWindow(
    AlertScope Scope,
    decimal LastHourUsd,
    decimal BaselineHourlyUsd,
    decimal TodayUsd,
    string? Manager
);

/// <summary>The burn-rate rule. Pure.</summary>
public static class BurnRate
{
    /// <summary>
    /// The baseline: the <see cref="BurnRateRule.BaselineDays"/> × 24 whole UTC hours before the hour the last hour
    /// starts in (whole hours, so that it is read from hourly sums; up to 59 minutes between it and the last hour count
    /// in neither).
    /// </summary>
    public static (DateTime From, DateTime To) BaselineHours(DateTime lastHourFrom, BurnRateRule rule)
    {
        var ticks = lastHourFrom.ToUniversalTime().Ticks;
        var to = new DateTime(ticks - ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        return (to.AddDays(-rule.BaselineDays), to);
    }

    public static AlertSignal Evaluate(SpendWindow spend, BurnRateRule rule, DateTimeOffset now)
    {
        var signal = new AlertSignal
        {
            Kind = AlertKinds.BurnRate,
            Scope = spend.Scope,
            At = now,
            Manager = spend.Manager,
        };
        if (spend.Scope.Type == "user" && spend.TodayUsd > rule.DailyCapUsd)
        {
            var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            return signal with
            {
                Severity = Severities.Critical,
                Observed = spend.TodayUsd,
                Threshold = rule.DailyCapUsd,
                Title =
                    $"{spend.Scope.Id} spent ${spend.TodayUsd:0.00} today, over the ${rule.DailyCapUsd:0.##} daily cap",
                Detail = "The user's breaker is open until 00:00 UTC unless a manager overrides it.",
                OpensBreaker = new BreakerRequest("user", spend.Scope.Id, midnight, "daily spend cap passed"),
            };
        }
        var limit = Math.Max(rule.Multiplier * spend.BaselineHourlyUsd, rule.FloorUsdPerHour);
        if (spend.LastHourUsd > limit)
            return signal with
            {
                Severity = Severities.Warning,
                Observed = spend.LastHourUsd,
                Threshold = limit,
                Title = $"{spend.Scope.Id} spent ${spend.LastHourUsd:0.00} in the last hour",
                Detail =
                    $"Above {rule.Multiplier}× the {rule.BaselineDays}-day hourly baseline (${spend.BaselineHourlyUsd:0.00}) and the ${rule.FloorUsdPerHour:0.##}/h floor.",
            };
        return signal with { Holds = false, Detail = "spend is back under the burn-rate limits" };
    }
}
