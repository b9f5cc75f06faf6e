namespace Tokenwise.Contracts;

/// <summary>
/// Accounting's verdict on one <see cref="UsageRecorded"/>: its tokens with the cost of each bucket, priced against
/// the price-book version in effect when the usage occurred. <see cref="UsageKey"/> is the usage's idempotency key.
/// </summary>
public sealed record UsageCharged
{
    public required string UsageKey { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string User { get; init; }
    public string? Team { get; init; }
    public string? Provider { get; init; }
    public required string Model { get; init; }
    public required TokenCounts Tokens { get; init; }
    public required BucketCosts Cost { get; init; }

    /// <summary>The price-book version used; null when the model had no price (the usage is "unpriced").</summary>
    public string? PriceVersion { get; init; }

    /// <summary>
    /// The price book this cost was computed with (its version number, bumped by every price or discount change): a
    /// correction carries the book it was made with, so each correction of a charge is known apart from a redelivery,
    /// and a later one always wins, in whatever order they arrive.
    /// </summary>
    public long BookVersion { get; init; }
    public UsageContext Context { get; init; } = new();
}
