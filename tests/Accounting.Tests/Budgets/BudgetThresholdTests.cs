using Tokenwise.Accounting.Budgets;

namespace Tokenwise.Accounting.Tests.Budgets;

/// <summary>Which thresholds a period's spend has reached.</summary>
public sealed class BudgetThresholdTests
{
    private static Budget Of(decimal amount, params int[] thresholds) =>
        new() { AmountUsd = amount, ThresholdsPercent = [.. thresholds] };

    [Fact]
    public void Spend_exactly_at_a_threshold_reaches_it() => Assert.Equal([50], Of(10m, 50, 80, 100).Reached(5.00m));

    [Fact]
    public void Spend_just_below_a_threshold_does_not() => Assert.Empty(Of(10m, 50, 80, 100).Reached(4.99m));

    [Fact]
    public void Spend_past_the_amount_reaches_every_threshold_up_to_it_and_exhausts_the_budget() =>
        Assert.Equal([50, 80, 100], Of(10m, 50, 80, 100, 150).Reached(12m));

    [Fact]
    public void A_budget_that_does_not_alert_at_100_is_still_exhausted_when_spend_reaches_the_amount() =>
        Assert.Equal([50, 80, 100], Of(10m, 50, 80).Reached(10m));

    [Fact]
    public void Thresholds_above_100_are_reached_after_exhaustion() =>
        Assert.Equal([50, 100, 120], Of(10m, 50, 120).Reached(12m));
}
