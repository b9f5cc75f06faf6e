namespace Tokenwise.Contracts;

/// <summary>
/// The usage events one ingest request accepted, committed together. Usage travels in batches because one broker
/// message per event cannot carry the volume a company's gateways send (see docs/benchmarks.md); consumers stay
/// idempotent per item <see cref="UsageRecorded.Key"/>, never per batch.
/// </summary>
public sealed record UsageRecordedBatch
{
    /// <summary>A hash of the items' keys: the same items always make the same batch id.</summary>
    public required string BatchId { get; init; }
    public required IReadOnlyList<UsageRecorded> Items { get; init; }
}
