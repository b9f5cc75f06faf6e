namespace Tokenwise.Accounting.Pricing;

/// <summary>USD per million tokens for each bucket. Reasoning is null when the model bills reasoning as output.</summary>
public sealed record Rates(
    decimal InputPerMTok,
    decimal OutputPerMTok,
    decimal CacheReadPerMTok,
    decimal CacheWritePerMTok,
    decimal CacheWrite1hPerMTok,
    decimal? ReasoningPerMTok = null
);
