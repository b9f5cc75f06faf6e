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

/// <summary>A merged PR as GET /v1/prs lists it: its attributed cost, size (lines changed, if known) and fate.</summary>
public sealed record PrSummary(
    string Repo,
    int Number,
    string? Title,
    string? Author,
    string? Team,
    DateTimeOffset MergedAt,
    bool AiAssisted,
    decimal CostUsd,
    int? LinesChanged,
    bool Failed
);

/// <summary>GET /v1/prs: how many merged PRs in the range matched, and the newest of them up to the limit.</summary>
public sealed record PrSearchReport(DateOnly From, DateOnly To, int Total, IReadOnlyList<PrSummary> Prs);
