namespace Tokenwise.Contracts;

/// <summary>The charges Accounting committed for one <see cref="UsageRecordedBatch"/> (its items not charged before).</summary>
public sealed record UsageChargedBatch
{
    public required string BatchId { get; init; }
    public required IReadOnlyList<UsageCharged> Items { get; init; }
}
