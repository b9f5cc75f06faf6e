namespace Tokenwise.Client.Models;

/// <summary>
/// POST /v1/usage/openai and /v1/usage/anthropic: the provider's own usage object as <see cref="Usage"/> (serialized
/// as given), plus who and when. The canonical optional fields (team, tool, sessionId, repo, ...) may be added too.
/// </summary>
public sealed record NativeUsageEvent
{
    public required string Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string User { get; init; }
    public required string Model { get; init; }
    public required object Usage { get; init; }
    public string? Team { get; init; }
    public string? Tool { get; init; }
    public string? SessionId { get; init; }
    public string? Repo { get; init; }
    public string? Branch { get; init; }
    public int? PrNumber { get; init; }
    public decimal? ReportedCostUsd { get; init; }
}
