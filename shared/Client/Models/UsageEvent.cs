namespace Tokenwise.Client.Models;

/// <summary>The canonical usage event accepted by POST /v1/usage (see README for every field's rule).</summary>
public sealed record UsageEvent
{
    public required string Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string User { get; init; }
    public string? Team { get; init; }
    public string? Provider { get; init; }
    public required string Model { get; init; }
    public long? InputTokens { get; init; }
    public long? CacheReadTokens { get; init; }
    public long? CacheWriteTokens { get; init; }
    public long? CacheWrite1hTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    public decimal? ReportedCostUsd { get; init; }
    public string? Tool { get; init; }
    public string? SessionId { get; init; }
    public string? AgentName { get; init; }
    public string? RequestId { get; init; }
    public string? Repo { get; init; }
    public string? Branch { get; init; }
    public int? PrNumber { get; init; }
    public string? CommitSha { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
