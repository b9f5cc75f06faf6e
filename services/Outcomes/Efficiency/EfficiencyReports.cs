using Tokenwise.Client.Models;
using Tokenwise.Outcomes.Quality;

namespace Tokenwise.Outcomes.Efficiency;

/// <summary>Builds the efficiency and value-board views from <see cref="EfficiencyFacts"/>. Pure.</summary>
public static class EfficiencyReports
{
    public const string NoRepo = "(none)";
    public static readonly IReadOnlySet<string> Groupings = new HashSet<string> { "user", "team", "repo" };

    public static IReadOnlyList<EfficiencyRow> Rows(EfficiencyFacts facts, string groupBy)
    {
        var (prGroup, spendGroup, deploymentGroup) = Selectors(groupBy);
        var groups = facts
            .Merged.Select(prGroup)
            .Concat(facts.Spend.Select(spendGroup))
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal);
        return groups
            .Select(group =>
            {
                var prs = facts.Merged.Where(pr => prGroup(pr) == group).ToList();
                var spend = facts.Spend.Where(s => spendGroup(s) == group).ToList();
                var total = spend.Sum(s => s.Cost);
                var unattributed = spend.Where(s => !s.Attributed).Sum(s => s.Cost);
                var changes = prs.Select(p => p.Change).ToList();
                return new EfficiencyRow(
                    group,
                    total,
                    prs.Count,
                    prs.Count == 0 ? null : prs.Sum(p => p.CostUsd) / prs.Count,
                    Median(prs.Select(p => p.CostUsd).ToList()),
                    facts.Deployments.Count(d => deploymentGroup(d) == group),
                    facts.Incidents.Count(incident => ChangeFailures.FailedPrs(changes, [incident]).Count > 0),
                    Rate(prs.Where(p => p.Change.AiAssisted)),
                    Rate(prs.Where(p => !p.Change.AiAssisted)),
                    unattributed,
                    total == 0 ? null : unattributed / total
                );
            })
            .ToList();
    }

    /// <summary>Merged PRs without a failure is the score; spend per such PR breaks ties (less is better). Tokens never count.</summary>
    public static IReadOnlyList<ValueboardRow> Valueboard(EfficiencyFacts facts, string groupBy)
    {
        var (prGroup, spendGroup, _) = Selectors(groupBy);
        return facts
            .Merged.Select(prGroup)
            .Concat(facts.Spend.Select(spendGroup))
            .OfType<string>()
            .Distinct()
            .Select(group =>
            {
                var goodPrs = facts.Merged.Where(pr => prGroup(pr) == group && !pr.Failed).ToList();
                var good = goodPrs.Count;
                var spend = facts.Spend.Where(s => spendGroup(s) == group).Sum(s => s.Cost);
                // Shown beside the count so that splitting work into tiny PRs shows instead of scoring.
                var lines = Median(
                    goodPrs.Where(p => p.LinesChanged is not null).Select(p => (decimal)p.LinesChanged!.Value).ToList()
                );
                return (
                    Group: group,
                    Good: good,
                    Spend: spend,
                    PerGood: good == 0 ? (decimal?)null : spend / good,
                    Lines: lines is { } median ? (int?)Math.Round(median, MidpointRounding.AwayFromZero) : null
                );
            })
            .OrderByDescending(r => r.Good)
            .ThenBy(r => r.PerGood ?? decimal.MaxValue)
            .ThenBy(r => r.Group, StringComparer.Ordinal)
            .Select((r, i) => new ValueboardRow(i + 1, r.Group, r.Good, r.Spend, r.PerGood, r.Lines))
            .ToList();
    }

    private static (
        Func<MergedPrCost, string?>,
        Func<(string? User, string? Team, string? Repo, decimal Cost, bool Attributed), string?>,
        Func<(string Repo, string? Team, string? User), string?>
    ) Selectors(string groupBy) =>
        groupBy switch
        {
            "user" => (pr => pr.Author, s => s.User, d => d.User),
            "team" => (pr => pr.Change.Team, s => s.Team, d => d.Team),
            _ => (pr => pr.Change.Key.Repo, s => s.Repo ?? NoRepo, d => d.Repo),
        };

    private static FailureRateView Rate(IEnumerable<MergedPrCost> prs)
    {
        var list = prs.ToList();
        var failed = list.Count(p => p.Failed);
        return new FailureRateView(list.Count, failed, list.Count == 0 ? null : (decimal)failed / list.Count);
    }

    private static decimal? Median(List<decimal> values)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
