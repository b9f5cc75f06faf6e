using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Efficiency;

namespace Tokenwise.Outcomes.Prs.SearchingPrs;

/// <summary>What GET /v1/prs looks for among the PRs merged in its range; every filter left null matches all.</summary>
public sealed record PrQuery(
    string? Repo = null,
    string? Author = null,
    string? Team = null,
    bool? AiAssisted = null,
    bool? Failed = null,
    decimal? MinCostUsd = null,
    int Limit = PrSearch.DefaultLimit
);

/// <summary>The PR search, pure: the merged PRs a query matches, newest merge first, at most its limit.</summary>
public static class PrSearch
{
    public const int DefaultLimit = 100,
        MaxLimit = 500;

    public static (int Total, IReadOnlyList<PrSummary> Prs) Find(IEnumerable<MergedPrCost> merged, PrQuery query)
    {
        var matching = merged
            .Where(pr =>
                (
                    query.Repo is null
                    || string.Equals(pr.Change.Key.Repo, query.Repo, StringComparison.OrdinalIgnoreCase)
                )
                && (query.Author is null || pr.Author == query.Author)
                && (query.Team is null || pr.Change.Team == query.Team)
                && (query.AiAssisted is null || pr.Change.AiAssisted == query.AiAssisted)
                && (query.Failed is null || pr.Failed == query.Failed)
                && (query.MinCostUsd is null || pr.CostUsd >= query.MinCostUsd)
            )
            .OrderByDescending(pr => pr.MergedAt)
            .ThenBy(pr => pr.Change.Key.Repo, StringComparer.Ordinal)
            .ThenByDescending(pr => pr.Change.Key.Number)
            .ToList();
        return (
            matching.Count,
            matching
                .Take(query.Limit)
                .Select(pr => new PrSummary(
                    pr.Change.Key.Repo,
                    pr.Change.Key.Number,
                    pr.Title,
                    pr.Author,
                    pr.Change.Team,
                    pr.MergedAt,
                    pr.Change.AiAssisted,
                    pr.CostUsd,
                    pr.LinesChanged,
                    pr.Failed
                ))
                .ToList()
        );
    }
}
