namespace Tokenwise.Client.Models;

public sealed record PrTokens(
    long Input,
    long CacheRead,
    long CacheWrite,
    long CacheWrite1h,
    long Output,
    long Reasoning
);

/// <summary>GET /v1/prs/{owner}/{repo}/{number}: what a PR cost, who and which sessions spent it, and how it fared.</summary>
public sealed record PrReport(
    string Repo,
    int Number,
    string State,
    string? Author,
    string? Title,
    DateTimeOffset ClosedAt,
    bool AiAssisted,
    decimal CostUsd,
    long Requests,
    PrTokens Tokens,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Sessions,
    IReadOnlyDictionary<string, long> AttributionRules,
    IReadOnlyList<string> Incidents,
    bool Reverted
);
