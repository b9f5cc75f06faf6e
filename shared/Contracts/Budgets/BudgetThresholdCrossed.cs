namespace Tokenwise.Contracts;

/// <summary>
/// A budget's spend reached one of its thresholds in a period. Published exactly once per budget, period and
/// threshold, whatever redelivery, restart or rebuild happens.
/// </summary>
public sealed record BudgetThresholdCrossed
{
    public required string BudgetId { get; init; }
    public required string ScopeType { get; init; }
    public required string ScopeId { get; init; }
    public required int ThresholdPercent { get; init; }
    public required decimal AmountUsd { get; init; }
    public required decimal SpentUsd { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }
    public required bool HardLimit { get; init; }
    public required DateTimeOffset CrossedAt { get; init; }
}
