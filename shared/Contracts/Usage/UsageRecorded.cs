namespace Tokenwise.Contracts;

/// <summary>
/// One AI request's token usage, accepted by Ingestion and committed to its event store.
/// <see cref="Key"/> is the idempotency key: the sender's id scoped by the API key's source name.
/// Token buckets do not overlap: total prompt = input + cache read + cache writes.
/// </summary>
public sealed record UsageRecorded
{
    public required string Key { get; init; }
    public required string Source { get; init; }
    public required string Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required string User { get; init; }
    public string? Team { get; init; }
    public string? Provider { get; init; }
    public required string Model { get; init; }
    public long InputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CacheWrite1hTokens { get; init; }
    public long OutputTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public decimal? ReportedCostUsd { get; init; }
    public UsageContext Context { get; init; } = new();
}
