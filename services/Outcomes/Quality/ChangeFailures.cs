using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Quality;

/// <summary>
/// Links failures to the PRs they name and computes change failure rates, separately for AI-assisted and other PRs.
/// A failure names a PR by number (in its repo; a failure without a repo only when one merged PR has that number)
/// or by a commit of the PR (its merge commit or head commit, full or abbreviated to 7+ characters).
/// </summary>
public static class ChangeFailures
{
    public static IReadOnlySet<PrKey> FailedPrs(IReadOnlyCollection<MergedChange> merged, IEnumerable<Failure> failures)
    {
        var failed = new HashSet<PrKey>();
        foreach (var failure in failures)
        {
            foreach (var number in failure.PrNumbers)
            {
                var named = merged
                    .Where(pr =>
                        pr.Key.Number == number
                        && (
                            failure.Repo is null
                            || string.Equals(pr.Key.Repo, failure.Repo, StringComparison.OrdinalIgnoreCase)
                        )
                    )
                    .ToList();
                if (named.Count == 1)
                    failed.Add(named[0].Key);
            }
            foreach (var sha in failure.Shas.Where(s => s.Length >= 7))
                failed.UnionWith(
                    merged
                        .Where(pr =>
                            pr.Shas.Any(own =>
                                own.StartsWith(sha, StringComparison.OrdinalIgnoreCase)
                                || sha.StartsWith(own, StringComparison.OrdinalIgnoreCase)
                            )
                        )
                        .Select(pr => pr.Key)
                );
        }
        return failed;
    }

    /// <summary>Rates per group (by <paramref name="groupOf"/>), AI-assisted beside the rest.</summary>
    public static IReadOnlyList<FailureRates> Rates(
        IReadOnlyCollection<MergedChange> merged,
        IReadOnlySet<PrKey> failed,
        Func<MergedChange, string> groupOf
    ) =>
        merged
            .GroupBy(groupOf)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FailureRates(
                g.Key,
                Rate(g.Where(pr => pr.AiAssisted), failed),
                Rate(g.Where(pr => !pr.AiAssisted), failed)
            ))
            .ToList();

    private static FailureRate Rate(IEnumerable<MergedChange> prs, IReadOnlySet<PrKey> failed)
    {
        var list = prs.ToList();
        return new FailureRate(list.Count, list.Count(pr => failed.Contains(pr.Key)));
    }
}
