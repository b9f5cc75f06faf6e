namespace Tokenwise.Client.Models;

/// <summary>PUT /v1/budgets/{scopeType}/{scopeId}.</summary>
public sealed record BudgetRequest(
    decimal AmountUsd,
    string? Period = null,
    string? TimeZone = null,
    IReadOnlyList<int>? ThresholdsPercent = null,
    bool? HardLimit = null
);

/// <summary>A budget in its current period: spend, the thresholds that fired, and the forecast.</summary>
public sealed record BudgetView(
    string ScopeType,
    string ScopeId,
    decimal AmountUsd,
    string Period,
    string TimeZone,
    IReadOnlyList<int> ThresholdsPercent,
    bool HardLimit,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    decimal SpentUsd,
    decimal RemainingUsd,
    IReadOnlyList<int> FiredThresholds,
    bool Exhausted,
    BudgetForecast? Forecast = null
);

/// <summary>
/// Where a budget's period is heading: spend so far plus the last seven days' daily rate for the rest of the period
/// (docs/decisions.md, Budgets); when it runs out at that rate (null: not within the period), and whether that is
/// before the period ends.
/// </summary>
public sealed record BudgetForecast(
    decimal ProjectedUsd,
    decimal DailyRateUsd,
    DateTimeOffset? RunsOutAt,
    bool RunsOutEarly
);

/// <summary>PUT /v1/prices/{provider}/{model}: USD per million tokens, in effect from <see cref="EffectiveFrom"/>.</summary>
public sealed record PriceRequest(
    DateTimeOffset EffectiveFrom,
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal? CacheReadPerMTok = null,
    decimal? CacheWritePerMTok = null,
    decimal? CacheWrite1hPerMTok = null,
    decimal? ReasoningPerMTok = null,
    long? LongContextThresholdTokens = null,
    PriceRates? LongContext = null
);

public sealed record PriceRates(
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal CacheReadPerMTok,
    decimal CacheWritePerMTok,
    decimal CacheWrite1hPerMTok,
    decimal? ReasoningPerMTok = null
);

public sealed record PriceEntryView(
    string Provider,
    string Model,
    DateTimeOffset EffectiveFrom,
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal CacheReadPerMTok,
    decimal CacheWritePerMTok,
    decimal CacheWrite1hPerMTok,
    decimal? ReasoningPerMTok,
    long? LongContextThresholdTokens,
    PriceRates? LongContext
);

public sealed record PriceView(PriceEntryView Price, string Version);

public sealed record DiscountModel(string Provider, decimal Percent, DateTimeOffset EffectiveFrom);

public sealed record PriceBookView(
    long Version,
    IReadOnlyList<PriceView> Prices,
    IReadOnlyList<DiscountModel> Discounts
);

public sealed record PriceImportResult(int Imported, int Skipped, long Version);

/// <summary>PUT /v1/prices/discounts/{provider}: the discount as set and the price book's version that holds it.</summary>
public sealed record DiscountView(DiscountModel Discount, long Version);

public sealed record DiscountRequest(decimal Percent, DateTimeOffset? EffectiveFrom = null);

public sealed record ReconciliationRow(
    string Model,
    DateOnly Day,
    long Requests,
    decimal OurCostUsd,
    decimal ReportedCostUsd,
    decimal DriftUsd,
    decimal? DriftPercent
);

public sealed record ReconciliationReport(
    DateOnly From,
    DateOnly To,
    string TimeZone,
    IReadOnlyList<ReconciliationRow> Rows,
    decimal OurCostUsd,
    decimal ReportedCostUsd,
    decimal DriftUsd
);

/// <summary>What rebuilding spend_hourly read (charge and re-pricing events) and wrote (rows).</summary>
public sealed record SpendRebuilt(long Events, int Rows);

/// <summary>
/// GET /v1/spend/forecast: this period's spend per group so far, and where it is heading at the last week's pace
/// (the same method as a budget's forecast).
/// </summary>
public sealed record SpendForecastReport(
    string GroupBy,
    string Period,
    string TimeZone,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    IReadOnlyList<GroupForecast> Groups
);

public sealed record GroupForecast(string Group, decimal SpentUsd, decimal ProjectedUsd, decimal DailyRateUsd);
