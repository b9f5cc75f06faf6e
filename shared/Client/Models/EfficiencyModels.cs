namespace Tokenwise.Client.Models;

/// <summary>Change failure rate of one kind of PR in a group: merged PRs later linked to an incident or revert / merged PRs.</summary>
public sealed record FailureRateView(int MergedPrs, int FailedPrs, decimal? Rate);

/// <summary>One group's efficiency: what was spent, what merged, what it cost per merge, what failed, what produced nothing.</summary>
public sealed record EfficiencyRow(
    string Group,
    decimal SpendUsd,
    int MergedPrs,
    decimal? CostPerMergedPrMeanUsd,
    decimal? CostPerMergedPrMedianUsd,
    int Deployments,
    int Incidents,
    FailureRateView AiAssisted,
    FailureRateView Other,
    decimal UnattributedSpendUsd,
    decimal? UnattributedShare
);

public sealed record EfficiencyReport(string GroupBy, DateOnly From, DateOnly To, IReadOnlyList<EfficiencyRow> Rows);

/// <summary>
/// A value-board place: ranked by merged PRs that caused no incident or revert; spend per such PR beside it, and the
/// median size of those PRs in lines changed (null when no sender said), so that tiny PRs show instead of scoring.
/// </summary>
public sealed record ValueboardRow(
    int Rank,
    string Group,
    int MergedPrsWithoutFailure,
    decimal SpendUsd,
    decimal? SpendPerGoodPrUsd,
    int? MedianLinesChanged = null
);

public sealed record ValueboardReport(
    string Period,
    string GroupBy,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ValueboardRow> Rows
);
