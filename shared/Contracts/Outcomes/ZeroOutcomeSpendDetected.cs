namespace Tokenwise.Contracts;

/// <summary>
/// A user's or team's spend over the window is above the floor and none of it is attributed to a merged PR.
/// Published at most once per subject and UTC day.
/// </summary>
public sealed record ZeroOutcomeSpendDetected
{
    public required string ScopeType { get; init; }
    public required string ScopeId { get; init; }
    public required decimal SpendUsd { get; init; }
    public required decimal FloorUsd { get; init; }
    public required DateTimeOffset WindowStart { get; init; }
    public required DateTimeOffset WindowEnd { get; init; }
    public string? Manager { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
