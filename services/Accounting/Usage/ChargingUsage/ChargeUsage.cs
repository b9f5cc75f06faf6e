using Tokenwise.Accounting.Pricing;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>Decides what one recorded usage costs. Pure: the same usage and price book always give the same charge.</summary>
public static class ChargeUsage
{
    /// <summary>Each consumed batch's charges go to a stream named by the batch.</summary>
    public static string StreamKey(string batchId) => "charges:" + batchId;

    public static UsageCharged Decide(UsageRecorded usage, PriceBook book)
    {
        var tokens = new TokenCounts(
            usage.InputTokens,
            usage.CacheReadTokens,
            usage.CacheWriteTokens,
            usage.CacheWrite1hTokens,
            usage.OutputTokens,
            usage.ReasoningTokens
        );
        var provider = ModelNames.Provider(usage.Provider, usage.Model);
        var (cost, version) = book.Price(provider, usage.Model, usage.OccurredAt, tokens);
        return new UsageCharged
        {
            UsageKey = usage.Key,
            OccurredAt = usage.OccurredAt,
            User = usage.User,
            Team = usage.Team,
            Provider = provider,
            Model = usage.Model,
            Tokens = tokens,
            Cost = cost,
            PriceVersion = version,
            BookVersion = book.Version,
            Context = usage.Context,
        };
    }

    /// <summary>
    /// The same charge priced with another book (re-pricing), named by that book; null when the cost and price version
    /// stay the same. A discount changes the cost under the same price version, so the book, not the version, names it.
    /// </summary>
    public static UsageCharged? Reprice(UsageCharged charge, PriceBook book)
    {
        var (cost, version) = book.Price(charge.Provider, charge.Model, charge.OccurredAt, charge.Tokens);
        return cost == charge.Cost && version == charge.PriceVersion
            ? null
            : charge with
            {
                Cost = cost,
                PriceVersion = version,
                BookVersion = book.Version,
            };
    }
}
