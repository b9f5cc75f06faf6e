namespace Tokenwise.Outcomes.Attribution;

/// <summary>
/// Decides which merged PR, if any, a usage event produced. Pure: the same usage and PRs always give the same
/// answer, so attribution can be replayed when rules or data change. Explicit beats session beats window; among
/// candidates of the best rule the earliest merge wins (then repo and number, so ties are deterministic). Usage that
/// names a PR itself (repo and number, a branch, a commit) goes only where it points: until that PR merges it stays
/// unattributed, never guessed into another PR by the session or window rule.
/// </summary>
public static class AttributionRules
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);

    /// <summary>The window rule's reach, from Tokenwise:Attribution:WindowDays (7 unless set).</summary>
    public static TimeSpan WindowFrom(IConfiguration configuration) =>
        TimeSpan.FromDays(configuration.GetValue("Tokenwise:Attribution:WindowDays", DefaultWindow.TotalDays));

    /// <param name="usage">The usage event to attribute.</param>
    /// <param name="merged">Every merged PR that could claim it.</param>
    /// <param name="sessionPrs">For the usage's session: the PRs that other events of the session name explicitly.</param>
    /// <param name="window">How far before a merge the window rule reaches.</param>
    public static AttributionDecision Decide(
        UsageFacts usage,
        IReadOnlyCollection<MergedPr> merged,
        IReadOnlySet<PrKey> sessionPrs,
        TimeSpan window
    )
    {
        if (ExplicitPr(usage, merged) is { } named)
            return new AttributionDecision(named, AttributionRule.Explicit);
        if (NamesAPr(usage))
            return AttributionDecision.None;

        var bySession = merged.Where(pr => sessionPrs.Count == 1 && sessionPrs.Contains(pr.Key)).ToList();
        if (bySession.Count > 0)
            return new AttributionDecision(Earliest(bySession), AttributionRule.Session);

        var byWindow = merged.Where(pr => InWindow(usage, pr, merged, window)).ToList();
        return byWindow.Count > 0
            ? new AttributionDecision(Earliest(byWindow), AttributionRule.Window)
            : AttributionDecision.None;
    }

    /// <summary>
    /// The PRs a session's usage events were explicitly attributed to (the input of the session rule). An event that
    /// names two PRs counts for the one it went to, so the set can be kept from stored attributions alone.
    /// </summary>
    public static IReadOnlySet<PrKey> SessionPrs(
        IEnumerable<UsageFacts> sessionUsage,
        IReadOnlyCollection<MergedPr> merged
    ) => sessionUsage.Select(u => ExplicitPr(u, merged)).OfType<PrKey>().ToHashSet();

    /// <summary>The earliest merged PR this usage names by itself, if any.</summary>
    public static PrKey? ExplicitPr(UsageFacts usage, IEnumerable<MergedPr> merged)
    {
        var named = merged.Where(pr => NamesExplicitly(usage, pr)).ToList();
        return named.Count > 0 ? Earliest(named) : null;
    }

    /// <summary>Does this usage name a PR of its own (repo and number, a branch or a commit), merged or not?</summary>
    public static bool NamesAPr(UsageFacts usage) =>
        (usage.Repo is not null && usage.PrNumber is not null)
        || usage.Branch is not null
        || usage.CommitSha is not null;

    /// <summary>Does this usage point at this PR by itself (repo + number, branch, commit or session)?</summary>
    public static bool NamesExplicitly(UsageFacts usage, MergedPr pr)
    {
        var sameRepoOrNone =
            usage.Repo is null || string.Equals(usage.Repo, pr.Key.Repo, StringComparison.OrdinalIgnoreCase);
        return (usage.PrNumber == pr.Key.Number && usage.Repo is not null && sameRepoOrNone)
            || (usage.Branch is not null && sameRepoOrNone && usage.Branch == pr.HeadRef)
            || (usage.CommitSha is not null && pr.CommitShas.Any(sha => ShaMatches(sha, usage.CommitSha)))
            || (usage.SessionId is not null && pr.SessionIds.Contains(usage.SessionId));
    }

    /// <summary>
    /// The author's usage in the PR's repo (or with no repo), after their previous merge in that repo and at most
    /// <paramref name="window"/> before this merge.
    /// </summary>
    private static bool InWindow(UsageFacts usage, MergedPr pr, IReadOnlyCollection<MergedPr> merged, TimeSpan window)
    {
        if (pr.Author is null || !string.Equals(pr.Author, usage.User, StringComparison.OrdinalIgnoreCase))
            return false;
        if (usage.Repo is not null && !string.Equals(usage.Repo, pr.Key.Repo, StringComparison.OrdinalIgnoreCase))
            return false;
        if (usage.OccurredAt > pr.MergedAt || usage.OccurredAt < pr.MergedAt - window)
            return false;
        var previousMerge = merged
            .Where(other =>
                other.Key != pr.Key
                && other.Author is not null
                && string.Equals(other.Author, pr.Author, StringComparison.OrdinalIgnoreCase)
                && string.Equals(other.Key.Repo, pr.Key.Repo, StringComparison.OrdinalIgnoreCase)
                && other.MergedAt < pr.MergedAt
            )
            .Select(other => (DateTimeOffset?)other.MergedAt)
            .Max();
        return previousMerge is null || usage.OccurredAt > previousMerge;
    }

    /// <summary>Short shas (7+ hex digits) match the full sha they abbreviate.</summary>
    private static bool ShaMatches(string prSha, string usageSha) =>
        usageSha.Length >= 7
        && prSha.Length >= 7
        && (
            prSha.StartsWith(usageSha, StringComparison.OrdinalIgnoreCase)
            || usageSha.StartsWith(prSha, StringComparison.OrdinalIgnoreCase)
        );

    private static PrKey Earliest(IEnumerable<MergedPr> candidates) =>
        candidates
            .OrderBy(pr => pr.MergedAt)
            .ThenBy(pr => pr.Key.Repo, StringComparer.Ordinal)
            .ThenBy(pr => pr.Key.Number)
            .First()
            .Key;
}
