namespace Tokenwise.Contracts;

/// <summary>
/// A team's AI-assisted PRs fail (incident or revert) more often than its other PRs by more than the margin, on
/// enough PRs to say so. Published at most once per team and ISO week.
/// </summary>
public sealed record QualityRegressionDetected
{
    public required string Team { get; init; }
    public required int AiAssistedMerged { get; init; }
    public required int AiAssistedFailed { get; init; }
    public required int OtherMerged { get; init; }
    public required int OtherFailed { get; init; }
    public required decimal MarginPercentagePoints { get; init; }
    public required DateTimeOffset WindowStart { get; init; }
    public required DateTimeOffset WindowEnd { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
