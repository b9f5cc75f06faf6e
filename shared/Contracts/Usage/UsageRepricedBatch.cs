namespace Tokenwise.Contracts;

/// <summary>
/// Charges whose cost changed because a price or discount was set or corrected after they were made (re-pricing
/// history). Each item carries the charge as it now stands, priced with the book of <see cref="UsageCharged.BookVersion"/>
/// (the correction's identity: one per charge and book), and the cost it replaces, so every read model can apply the
/// difference or the new cost.
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

/// <summary>How a correction is named downstream: the charge and the price book it was re-priced with.</summary>
public static class Correction
{
    public static string KeyOf(UsageRepriced item) => $"{item.Charge.UsageKey}@book{item.Charge.BookVersion}";
}
