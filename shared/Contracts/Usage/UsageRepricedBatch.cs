namespace Tokenwise.Contracts;

/// <summary>
/// Charges whose cost changed because a price was set or corrected after they were made (re-pricing history). Each
/// item carries the charge as it now stands and the cost it replaces, so every read model can apply the difference.
/// </summary>
public sealed record UsageRepricedBatch
{
    public required string BatchId { get; init; }
    public required IReadOnlyList<UsageRepriced> Items { get; init; }
}

public sealed record UsageRepriced
{
    public required UsageCharged Charge { get; init; }
    public required BucketCosts PreviousCost { get; init; }
    public string? PreviousPriceVersion { get; init; }
}
