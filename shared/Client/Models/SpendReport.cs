using Tokenwise.Contracts;

namespace Tokenwise.Client.Models;

/// <summary>Spend figures for one group (or the totals): requests, each token bucket and the cost.</summary>
public sealed record SpendFigures(long Requests, TokenCounts Tokens, BucketCosts Cost, decimal CostUsd);

public sealed record SpendRow(IReadOnlyDictionary<string, string> Group, SpendFigures Figures);

/// <summary>The answer to GET /v1/spend: one row per group plus the totals over all rows.</summary>
public sealed record SpendReport(string GroupBy, DateOnly From, DateOnly To, IReadOnlyList<SpendRow> Rows, SpendFigures Totals);
