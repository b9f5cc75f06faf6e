namespace Tokenwise.Contracts;

/// <summary>
/// Changes an outcome points at: the PRs a revert reverts, the commits an incident names as its root cause
/// (including a "root cause: &lt;sha&gt;" line found in its text).
/// </summary>
public sealed record OutcomeLinks
{
    public IReadOnlyList<int> PrNumbers { get; init; } = [];
    public IReadOnlyList<string> Shas { get; init; } = [];
}
