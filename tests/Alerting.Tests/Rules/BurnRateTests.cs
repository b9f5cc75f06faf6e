using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Tests.Rules;

public sealed class BurnRateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private static readonly BurnRateRule Rule = new(); // k = 5, floor $10/h, cap $250/day

    private static AlertSignal Evaluate(
        decimal lastHour,
        decimal baseline,
        decimal today = 0m,
        string scope = "user"
    ) =>
        BurnRate.Evaluate(
            new SpendWindow(new AlertScope(scope, "alice"), lastHour, baseline, today, "carol"),
            Rule,
            Now
        );

    [Fact]
    public void The_baseline_is_the_fourteen_days_of_whole_hours_before_the_hour_the_last_hour_starts_in()
    {
        var lastHourFrom = new DateTime(2026, 11, 20, 14, 37, 0, DateTimeKind.Utc);
        Assert.Equal(
            (
                new DateTime(2026, 11, 6, 14, 0, 0, DateTimeKind.Utc),
                new DateTime(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc)
            ),
            BurnRate.BaselineHours(lastHourFrom, Rule)
        );
    }

    [Fact]
    public void A_last_hour_starting_on_the_hour_leaves_no_gap_before_it()
    {
        var (from, to) = BurnRate.BaselineHours(
            new DateTime(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc),
            Rule with
            {
                BaselineDays = 1,
            }
        );
        Assert.Equal(
            (
                new DateTime(2026, 11, 19, 14, 0, 0, DateTimeKind.Utc),
                new DateTime(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc)
            ),
            (from, to)
        );
    }

    [Fact]
    public void Spend_above_five_times_the_baseline_and_the_floor_fires_a_warning()
    {
        var signal = Evaluate(lastHour: 20.01m, baseline: 4m);
        Assert.True(signal.Holds);
        Assert.Equal(
            (Severities.Warning, 20.01m, 20m, "carol"),
            (signal.Severity, signal.Observed, signal.Threshold, signal.Manager)
        );
        Assert.Null(signal.OpensBreaker);
    }

    [Fact]
    public void Spend_exactly_at_five_times_the_baseline_does_not_fire()
    {
        Assert.False(Evaluate(lastHour: 20m, baseline: 4m).Holds);
    }

    [Fact]
    public void A_low_baseline_still_needs_the_absolute_floor()
    {
        Assert.False(Evaluate(lastHour: 10m, baseline: 0m).Holds);
        Assert.True(Evaluate(lastHour: 10.01m, baseline: 0m).Holds);
    }

    [Fact]
    public void A_user_past_the_daily_cap_is_critical_and_opens_their_breaker_until_midnight_UTC()
    {
        var signal = Evaluate(lastHour: 1m, baseline: 1m, today: 250.01m);
        Assert.Equal(Severities.Critical, signal.Severity);
        Assert.Equal(
            new BreakerRequest(
                "user",
                "alice",
                new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero),
                "daily spend cap passed"
            ),
            signal.OpensBreaker
        );
    }

    [Fact]
    public void Exactly_at_the_daily_cap_or_for_a_team_is_not_the_cap_rule()
    {
        Assert.False(Evaluate(lastHour: 1m, baseline: 1m, today: 250m).Holds);
        Assert.False(Evaluate(lastHour: 1m, baseline: 1m, today: 900m, scope: "team").Holds);
    }
}
