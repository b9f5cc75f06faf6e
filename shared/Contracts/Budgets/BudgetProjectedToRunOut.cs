namespace Tokenwise.Contracts;

/// <summary>
/// At the last week's pace a budget will be spent before its period ends (the forecast method of docs/decisions.md,
/// Budgets). Published at most once per budget and period, the first time a charge makes the forecast say so.
/// </summary>
public sealed record BudgetProjectedToRunOut
{
    public required string BudgetId { get; init; }
    public required string ScopeType { get; init; }
    public required string ScopeId { get; init; }
    public required decimal AmountUsd { get; init; }
    public required decimal SpentUsd { get; init; }
    public required decimal ProjectedUsd { get; init; }
    public required decimal DailyRateUsd { get; init; }
    public required DateTimeOffset RunsOutAt { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }
    public required bool HardLimit { get; init; }
    public required DateTimeOffset ProjectedAt { get; init; }
}
