using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Pricing;

/// <summary>A negotiated discount off a provider's list prices, from a date on.</summary>
public sealed record ProviderDiscount(string Provider, decimal Percent, DateTimeOffset EffectiveFrom)
{
    public Client.Models.DiscountModel ToView() => new(Provider, Percent, EffectiveFrom);
}

/// <summary>
/// Every model price and provider discount with its effective date: answers "what did this cost when it happened".
/// Immutable; a new book is built when prices change.
/// </summary>
public sealed class PriceBook
{
    private readonly Dictionary<string, List<ModelPrice>> _byModel;
    private readonly Dictionary<string, List<ProviderDiscount>> _discounts;

    public PriceBook(IEnumerable<ModelPrice> prices, IEnumerable<ProviderDiscount> discounts, long version)
    {
        // Later entries for the same model and date replace earlier ones (a correction of a price).
        _byModel = prices
            .GroupBy(p => p.Key)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(p => p.EffectiveFrom).Select(d => d.Last()).OrderBy(p => p.EffectiveFrom).ToList()
            );
        _discounts = discounts
            .GroupBy(d => d.Provider.ToLowerInvariant())
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(d => d.EffectiveFrom).Select(d => d.Last()).OrderBy(d => d.EffectiveFrom).ToList()
            );
        Version = version;
    }

    /// <summary>Changes whenever a price or discount is set; charges made with an older book may need re-pricing.</summary>
    public long Version { get; }

    public IEnumerable<ModelPrice> All => _byModel.Values.SelectMany(p => p);
    public IEnumerable<ProviderDiscount> Discounts => _discounts.Values.SelectMany(d => d);

    public ModelPrice? PriceAt(string? provider, string model, DateTimeOffset at) =>
        _byModel.TryGetValue(ModelNames.Key(provider, model), out var prices)
            ? prices.LastOrDefault(p => p.EffectiveFrom <= at)
            : null;

    public decimal DiscountAt(string provider, DateTimeOffset at) =>
        _discounts.TryGetValue(provider, out var discounts)
            ? discounts.LastOrDefault(d => d.EffectiveFrom <= at)?.Percent ?? 0
            : 0;

    /// <summary>What a request cost: each bucket at the rate in effect, long-context rates above the threshold, less the discount.</summary>
    public (BucketCosts Cost, string? Version) Price(
        string? provider,
        string model,
        DateTimeOffset at,
        TokenCounts tokens
    )
    {
        if (PriceAt(provider, model, at) is not { } price)
            return (BucketCosts.Zero, null);
        var prompt = tokens.Input + tokens.CacheRead + tokens.CacheWrite + tokens.CacheWrite1h;
        var rates =
            price.LongContext is not null && prompt > price.LongContextThresholdTokens
                ? price.LongContext
                : price.Rates;
        var factor = 1m - DiscountAt(price.Provider, at) / 100m;
        decimal Cost(long count, decimal perMTok) => count * perMTok / 1_000_000m * factor;
        var output = rates.ReasoningPerMTok is { } reasoningRate
            ? Cost(tokens.Output - tokens.Reasoning, rates.OutputPerMTok) + Cost(tokens.Reasoning, reasoningRate)
            : Cost(tokens.Output, rates.OutputPerMTok);
        return (
            new BucketCosts(
                Cost(tokens.Input, rates.InputPerMTok),
                Cost(tokens.CacheRead, rates.CacheReadPerMTok),
                Cost(tokens.CacheWrite, rates.CacheWritePerMTok),
                Cost(tokens.CacheWrite1h, rates.CacheWrite1hPerMTok),
                output
            ),
            price.Version
        );
    }
}
