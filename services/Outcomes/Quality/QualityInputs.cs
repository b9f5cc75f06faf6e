using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Quality;

/// <summary>A merged PR as quality sees it: who, where, whether AI helped, and the commits that identify it.</summary>
public sealed record MergedChange(PrKey Key, string? Team, bool AiAssisted, IReadOnlySet<string> Shas);

/// <summary>Something that failed after a merge — an incident or a revert — and what it names.</summary>
public sealed record Failure(string Kind, string? Repo, IReadOnlyList<int> PrNumbers, IReadOnlyList<string> Shas);

/// <summary>Change failure rate of one group: merged PRs later linked to an incident or revert / merged PRs.</summary>
public sealed record FailureRate(int Merged, int Failed)
{
    public decimal? Rate => Merged == 0 ? null : (decimal)Failed / Merged;
}

/// <summary>The rate for AI-assisted PRs beside the rate for the others, in one group (team, repo or everyone).</summary>
public sealed record FailureRates(string Group, FailureRate AiAssisted, FailureRate Other);
