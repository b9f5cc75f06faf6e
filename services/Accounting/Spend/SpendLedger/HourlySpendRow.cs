using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>The dimensions of one <c>spend_hourly</c> row.</summary>
public sealed record HourlySpendKey(
    DateTimeOffset Hour,
    string User,
    string Team,
    string Provider,
    string Model,
    string Tool,
    string Repo,
    string PriceVersion
)
{
    /// <summary>The row a charge counts in, priced with <paramref name="priceVersion"/> (its own unless given).</summary>
    public static HourlySpendKey Of(UsageCharged charge, string? priceVersion = null) =>
        new(
            HourOf(charge.OccurredAt),
            charge.User,
            charge.Team ?? "",
            charge.Provider ?? "",
            charge.Model,
            charge.Context.Tool ?? "",
            charge.Context.Repo ?? "",
            priceVersion ?? charge.PriceVersion ?? ""
        );

    /// <summary>The UTC hour an instant falls in: the row it counts in.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    public object[] Values() => [Hour, User, Team, Provider, Model, Tool, Repo, PriceVersion];

    /// <summary>Hour, then each dimension compared bytewise: the order rows are written in.</summary>
    public static readonly IComparer<HourlySpendKey> Order = Comparer<HourlySpendKey>.Create(
        (a, b) =>
        {
            var order = a.Hour.CompareTo(b.Hour);
            if (order == 0)
                order = string.CompareOrdinal(a.User, b.User);
            if (order == 0)
                order = string.CompareOrdinal(a.Team, b.Team);
            if (order == 0)
                order = string.CompareOrdinal(a.Provider, b.Provider);
            if (order == 0)
                order = string.CompareOrdinal(a.Model, b.Model);
            if (order == 0)
                order = string.CompareOrdinal(a.Tool, b.Tool);
            if (order == 0)
                order = string.CompareOrdinal(a.Repo, b.Repo);
            return order == 0 ? string.CompareOrdinal(a.PriceVersion, b.PriceVersion) : order;
        }
    );
}

/// <summary>What a set of charges adds to one row; kept in memory while a transaction's events are projected.</summary>
public sealed class HourlySpendDelta
{
    public long Requests;
    public long UnpricedRequests;
    public TokenCounts Tokens = TokenCounts.Zero;
    public BucketCosts Cost = BucketCosts.Zero;

    public void Add(UsageCharged charge)
    {
        Requests++;
        if (charge.PriceVersion is null)
            UnpricedRequests++;
        Tokens = Tokens.Add(charge.Tokens);
        Cost = Cost.Add(charge.Cost);
    }

    /// <summary>Takes back a charge as it was before re-pricing (its previous cost and version); the new one is added to its own row.</summary>
    public void Remove(UsageRepriced item)
    {
        Requests--;
        if (item.PreviousPriceVersion is null)
            UnpricedRequests--;
        var t = item.Charge.Tokens;
        Tokens = Tokens.Add(
            new TokenCounts(-t.Input, -t.CacheRead, -t.CacheWrite, -t.CacheWrite1h, -t.Output, -t.Reasoning)
        );
        var c = item.PreviousCost;
        Cost = Cost.Add(new BucketCosts(-c.Input, -c.CacheRead, -c.CacheWrite, -c.CacheWrite1h, -c.Output));
    }

    public object[] MeasureValues() =>
        [
            Requests,
            UnpricedRequests,
            Tokens.Input,
            Tokens.CacheRead,
            Tokens.CacheWrite,
            Tokens.CacheWrite1h,
            Tokens.Output,
            Tokens.Reasoning,
            Cost.Input,
            Cost.CacheRead,
            Cost.CacheWrite,
            Cost.CacheWrite1h,
            Cost.Output,
            Cost.Total,
        ];
}
