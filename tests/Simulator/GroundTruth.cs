using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

public sealed record ExpectedAlert(string Kind, string ScopeType, string ScopeId, string Severity);

/// <summary>A merged PR and what should be attributed to it.</summary>
public sealed record PrTruth(string Repo, int Number, decimal CostUsd, long Requests);

/// <summary>
/// What the services must report for a simulated company, computed from the simulation and the price book file
/// alone (never from a service): cost per user and team and UTC day, each PR's attributed cost, the alerts.
/// </summary>
public sealed record GroundTruth(
    IReadOnlyDictionary<string, decimal> CostByUserDay, IReadOnlyDictionary<string, decimal> CostByTeamDay, IReadOnlyList<PrTruth> Prs,
    IReadOnlyList<ExpectedAlert> Alerts, decimal TotalUsd, long Requests, string RunawayUser)
{
    public static string Key(string subject, DateTimeOffset at) => $"{subject}|{at.UtcDateTime:yyyy-MM-dd}";

    public static GroundTruth Compute(Company company, PriceFile prices)
    {
        var costs = company.Requests.Select(r => (Request: r, Cost: prices.Cost(r.Provider, r.Model, r.At, r.Tokens))).ToList();
        var byUser = costs.GroupBy(c => Key(c.Request.Person.User, c.Request.At)).ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var byTeam = costs.GroupBy(c => Key(c.Request.Person.Team, c.Request.At)).ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var merged = company.Outcomes.Where(o => o.Kind == "pr_merged").ToList();
        var abandoned = company.Outcomes.Where(o => o.Kind == "pr_closed").Select(o => (o.Repo, o.PrNumber)).ToHashSet();
        // Usage naming a merged PR goes to it (explicit). Usage naming an abandoned PR names no outcome, so the window
        // rule gives it to its author's next merge in that repo within 7 days, if any.
        var attributed = costs.Where(c => c.Request.Pr is not null).Select(c =>
        {
            if (!abandoned.Contains((c.Request.Repo, c.Request.Pr))) return (Pr: (c.Request.Repo, c.Request.Pr), c.Cost);
            var next = merged.Where(m => m.Repo == c.Request.Repo && m.User == c.Request.Person.User && m.OccurredAt >= c.Request.At
                                         && m.OccurredAt - c.Request.At <= TimeSpan.FromDays(7)).MinBy(m => m.OccurredAt);
            return (Pr: (next?.Repo, next?.PrNumber), c.Cost);
        }).Where(a => a.Pr.Item2 is not null).ToLookup(a => a.Pr);
        var prs = merged.Select(o => new PrTruth(o.Repo!, o.PrNumber!.Value, attributed[(o.Repo, o.PrNumber)].Sum(a => a.Cost),
            attributed[(o.Repo, o.PrNumber)].Count())).ToList();

        var alerts = new List<ExpectedAlert>
        {
            new("runaway", "session", "runaway-loop", "critical"),
            new("unpriced", "model", $"{Company.UnpricedProvider}/{Company.UnpricedModel}", "info"),
            new("token_burn", "user", company.PingPong.User, "warning"),
        };
        var lastWeek = company.Now.AddDays(-7);
        if (costs.Where(c => c.Request.Person == company.Tokenmaxxer && c.Request.At >= lastWeek).Sum(c => c.Cost) > 50m)
            alerts.Add(new ExpectedAlert("token_burn", "user", company.Tokenmaxxer.User, "warning"));
        alerts.AddRange(QualityRegressions(company, merged).Select(team => new ExpectedAlert("quality", "team", team, "warning")));
        return new GroundTruth(byUser, byTeam, prs, alerts, costs.Sum(c => c.Cost), costs.Count, company.Runaway.User);
    }

    /// <summary>Teams whose AI-assisted failure rate beats the rest by more than 10 points, with at least 10 PRs of each.</summary>
    private static IEnumerable<string> QualityRegressions(Company company, List<OutcomeEvent> merged)
    {
        var incidents = company.Outcomes.Where(o => o.Kind == "incident_opened").Select(o => o.Title!).ToList();
        bool Failed(OutcomeEvent pr) => incidents.Any(title => title.Contains(pr.Sha![..10]));
        foreach (var team in merged.GroupBy(pr => pr.Team!))
        {
            var ai = team.Where(pr => pr.AiAssisted == true).ToList();
            var other = team.Where(pr => pr.AiAssisted != true).ToList();
            if (ai.Count < 10 || other.Count < 10) continue;
            var aiRate = (decimal)ai.Count(Failed) / ai.Count;
            var otherRate = (decimal)other.Count(Failed) / other.Count;
            if ((aiRate - otherRate) * 100m > 10m) yield return team.Key;
        }
    }
}
