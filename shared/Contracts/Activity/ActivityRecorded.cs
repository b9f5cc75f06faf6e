namespace Tokenwise.Contracts;

/// <summary>
/// A signal of work from a coding agent's telemetry: commits, pull requests, lines added or removed, or a user
/// prompt in a session. <see cref="Count"/> is the increment this data point reports.
/// </summary>
public sealed record ActivityRecorded
{
    public required string Key { get; init; }
    public required string Source { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string User { get; init; }
    public string? Team { get; init; }

    /// <summary>One of <see cref="ActivityKinds"/>.</summary>
    public required string Kind { get; init; }
    public long Count { get; init; } = 1;
    public string? Tool { get; init; }
    public string? SessionId { get; init; }
    public string? Model { get; init; }
}
