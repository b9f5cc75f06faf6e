using Tokenwise.Contracts;

namespace Tokenwise.Client.Models;

/// <summary>Spend figures for one group (or the totals): requests, each token bucket and the cost of each.</summary>
public sealed record SpendFigures(
    long Requests,
    long UnpricedRequests,
    TokenCounts Tokens,
    BucketCosts Cost,
    decimal CostUsd
);

/// <summary>
/// One group's figures; <see cref="Period"/> is the period's start in the report's time zone when an interval is
/// asked; <see cref="PriceVersions"/> are the price-book versions its cost was computed with ("unpriced" for none).
/// </summary>
public sealed record SpendRow(IReadOnlyDictionary<string, string> Group, string? Period, SpendFigures Figures)
{
    public IReadOnlyList<string> PriceVersions { get; init; } = [];
}

/// <summary>The answer to GET /v1/spend: one row per group (and period) plus the totals over all rows.</summary>
public sealed record SpendReport(
    IReadOnlyList<string> GroupBy,
    DateOnly From,
    DateOnly To,
    string TimeZone,
    string? Interval,
    IReadOnlyList<SpendRow> Rows,
    SpendFigures Totals
);
