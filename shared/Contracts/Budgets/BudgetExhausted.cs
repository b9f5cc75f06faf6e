namespace Tokenwise.Contracts;

/// <summary>
/// A budget's spend reached 100% of its amount in a period (published beside the 100% threshold crossing). With
/// <see cref="HardLimit"/>, Alerting's circuit breaker stops further spend until the next period.
/// </summary>
public sealed record BudgetExhausted
{
    public required string BudgetId { get; init; }
    public required string ScopeType { get; init; }
    public required string ScopeId { get; init; }
    public required decimal AmountUsd { get; init; }
    public required decimal SpentUsd { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }
    public required bool HardLimit { get; init; }
    public required DateTimeOffset ExhaustedAt { get; init; }
}
