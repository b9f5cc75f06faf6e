using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>The dimensions of one <c>spend_hourly</c> row.</summary>
public sealed record HourlySpendKey(DateTimeOffset Hour, string User, string Team, string Provider, string Model, string Tool, string Repo)
{
    public static HourlySpendKey Of(UsageCharged charge)
    {
        var at = charge.OccurredAt.ToUniversalTime();
        return new HourlySpendKey(new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero), charge.User,
            charge.Team ?? "", charge.Provider ?? "", charge.Model, charge.Context.Tool ?? "", charge.Context.Repo ?? "");
    }
}

/// <summary>What a set of charges adds to one row; kept in memory while a page of events is projected.</summary>
public sealed class HourlySpendDelta
{
    public long Requests;
    public long UnpricedRequests;
    public TokenCounts Tokens = TokenCounts.Zero;
    public BucketCosts Cost = BucketCosts.Zero;

    public void Add(UsageCharged charge)
    {
        Requests++;
        if (charge.PriceVersion is null) UnpricedRequests++;
        Tokens = Tokens.Add(charge.Tokens);
        Cost = Cost.Add(charge.Cost);
    }

    /// <summary>A re-priced charge: its cost changes by the difference, and it stops (or starts) being unpriced.</summary>
    public void Reprice(UsageRepriced item)
    {
        Cost = Cost.Add(item.Charge.Cost).Add(Negate(item.PreviousCost));
        UnpricedRequests += (item.Charge.PriceVersion is null ? 1 : 0) - (item.PreviousPriceVersion is null ? 1 : 0);
    }

    private static BucketCosts Negate(BucketCosts c) => new(-c.Input, -c.CacheRead, -c.CacheWrite, -c.CacheWrite1h, -c.Output);

    public object[] MeasureValues() =>
    [
        Requests, UnpricedRequests, Tokens.Input, Tokens.CacheRead, Tokens.CacheWrite, Tokens.CacheWrite1h, Tokens.Output,
        Tokens.Reasoning, Cost.Input, Cost.CacheRead, Cost.CacheWrite, Cost.CacheWrite1h, Cost.Output, Cost.Total,
    ];
}
