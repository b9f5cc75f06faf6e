using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>Decides what one recorded usage costs. Pure: the same usage always gives the same charge.</summary>
public static class ChargeUsage
{
    /// <summary>The idempotency key Accounting claims for a usage it charged.</summary>
    public static string ClaimKey(string usageKey) => "charge:" + usageKey;

    /// <summary>Each consumed batch's charges go to a stream named by the batch.</summary>
    public static string StreamKey(string batchId) => "charges:" + batchId;

    public static UsageCharged Decide(UsageRecorded usage) => new()
    {
        UsageKey = usage.Key,
        OccurredAt = usage.OccurredAt,
        User = usage.User,
        Team = usage.Team,
        Provider = usage.Provider,
        Model = usage.Model,
        Tokens = new TokenCounts(usage.InputTokens, usage.CacheReadTokens, usage.CacheWriteTokens,
            usage.CacheWrite1hTokens, usage.OutputTokens, usage.ReasoningTokens),
        // The price book arrives with issue C; until then every charge is unpriced (no version, zero cost).
        Cost = BucketCosts.Zero,
        PriceVersion = null,
        Context = usage.Context,
    };
}
