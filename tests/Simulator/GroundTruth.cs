using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

/// <summary>An alert the company must raise, once, with its final severity; <see cref="EarliestAt"/> is when its evidence was complete.</summary>
public sealed record ExpectedAlert(
    string Kind,
    string ScopeType,
    string ScopeId,
    string Severity,
    DateTimeOffset EarliestAt
);

/// <summary>A budget the company sets before its usage is sent, and how it must stand afterwards.</summary>
public sealed record BudgetTruth(
    string ScopeType,
    string ScopeId,
    decimal AmountUsd,
    bool HardLimit,
    decimal SpentUsd,
    IReadOnlyList<int> FiredThresholds,
    bool Exhausted
);

/// <summary>A merged PR and what should be attributed to it.</summary>
public sealed record PrTruth(string Repo, int Number, decimal CostUsd, long Requests, bool Reverted);

/// <summary>
/// What the services must report for a simulated company, computed from the simulation and the price book file
/// alone (never from a service): cost per user and team and UTC day, each PR's attributed cost, the alerts.
/// </summary>
public sealed record GroundTruth(
    IReadOnlyDictionary<string, decimal> CostByUserDay,
    IReadOnlyDictionary<string, decimal> CostByTeamDay,
    IReadOnlyList<PrTruth> Prs,
    IReadOnlyList<ExpectedAlert> Alerts,
    decimal TotalUsd,
    long Requests,
    string RunawayUser,
    IReadOnlyList<BudgetTruth> Budgets
)
{
    // The rules' documented defaults (services/Alerting/README.md), which the expected alerts' earliest times follow.
    private const int RunawayRequestsPerMinute = 60,
        RunawayMinutes = 5,
        PingPongRequests = 40;

    /// <summary>The thresholds every company budget is set with (Accounting's default).</summary>
    public static readonly IReadOnlyList<int> BudgetThresholds = [50, 80, 100];

    public static string Key(string subject, DateTimeOffset at) => $"{subject}|{at.UtcDateTime:yyyy-MM-dd}";

    public static GroundTruth Compute(Company company, PriceFile prices)
    {
        var costs = company
            .Requests.Select(r => (Request: r, Cost: prices.Cost(r.Provider, r.Model, r.At, r.Tokens)))
            .ToList();
        var byUser = costs
            .GroupBy(c => Key(c.Request.Person.User, c.Request.At))
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var byTeam = costs
            .GroupBy(c => Key(c.Request.Person.Team, c.Request.At))
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Cost));
        var merged = company.Outcomes.Where(o => o.Kind == "pr_merged").ToList();
        var abandoned = company
            .Outcomes.Where(o => o.Kind == "pr_closed")
            .Select(o => (o.Repo, o.PrNumber))
            .ToHashSet();
        // Usage naming a merged PR goes to it (explicit). Usage naming an abandoned PR names no outcome and stays
        // unattributed: it points at its own PR, so no rule guesses it into the author's next one.
        var attributed = costs
            .Where(c => c.Request.Pr is not null && !abandoned.Contains((c.Request.Repo, c.Request.Pr)))
            .Select(c => (Pr: (c.Request.Repo, c.Request.Pr), c.Cost))
            .ToLookup(a => a.Pr);
        var reverts = company.Outcomes.Where(o => o.Kind == "revert").ToList();
        var prs = merged
            .Select(o => new PrTruth(
                o.Repo!,
                o.PrNumber!.Value,
                attributed[(o.Repo, o.PrNumber)].Sum(a => a.Cost),
                attributed[(o.Repo, o.PrNumber)].Count(),
                reverts.Any(r => Reverts(r, o))
            ))
            .ToList();

        var loop = company.Requests.Where(r => r.Session == "runaway-loop").OrderBy(r => r.At).ToList();
        var pingPong = company
            .Requests.Where(r => r.Person == company.PingPong && r.Agent is not null)
            .OrderBy(r => r.At)
            .ToList();
        var alerts = new List<ExpectedAlert>
        {
            // The request that makes the loop's fifth minute in a row exceed the rate.
            new(
                "runaway",
                "session",
                "runaway-loop",
                "critical",
                loop.GroupBy(r => r.At.UtcDateTime.Ticks / TimeSpan.TicksPerMinute)
                    .Skip(RunawayMinutes - 1)
                    .First()
                    .ElementAt(RunawayRequestsPerMinute)
                    .At
            ),
            // One alert lists every model without a price.
            new(
                "unpriced",
                "price_book",
                "unpriced",
                "info",
                company.Requests.Where(r => r.Model == Company.UnpricedModel).Min(r => r.At)
            ),
            new("token_burn", "user", company.PingPong.User, "warning", pingPong[PingPongRequests - 1].At),
        };
        var lastWeek = company.Now.AddDays(-7);
        var maxxed = costs
            .Where(c => c.Request.Person == company.Tokenmaxxer && c.Request.At >= lastWeek)
            .OrderBy(c => c.Request.At)
            .ToList();
        if (maxxed.Sum(c => c.Cost) > 50m)
            alerts.Add(
                new ExpectedAlert(
                    "token_burn",
                    "user",
                    company.Tokenmaxxer.User,
                    "warning",
                    FirstPast(maxxed, 50m, inclusive: false)
                )
            );
        alerts.AddRange(
            QualityRegressions(company, merged)
                .Select(q => new ExpectedAlert("quality", "team", q.Team, "warning", q.At))
        );

        var monthStart = MonthStart(company);
        var budgets = PlanBudgets(costs, monthStart);
        foreach (var budget in budgets.Where(b => b.FiredThresholds.Count > 0))
        {
            var charges = costs
                .Where(c => c.Request.Person.Team == budget.ScopeId && c.Request.At >= monthStart)
                .OrderBy(c => c.Request.At)
                .ToList();
            alerts.Add(
                new ExpectedAlert(
                    "budget",
                    "team",
                    budget.ScopeId,
                    budget.Exhausted ? "critical"
                        : budget.FiredThresholds.Max() >= 80 ? "warning"
                        : "info",
                    FirstPast(charges, budget.AmountUsd * budget.FiredThresholds.Min() / 100m, inclusive: true)
                )
            );
        }
        return new GroundTruth(
            byUser,
            byTeam,
            prs,
            alerts,
            costs.Sum(c => c.Cost),
            costs.Count,
            company.Runaway.User,
            budgets
        );
    }

    private static bool Reverts(OutcomeEvent revert, OutcomeEvent pr) =>
        revert.Repo == pr.Repo && revert.Links!.PrNumbers!.Contains(pr.PrNumber!.Value);

    private static DateTimeOffset MonthStart(Company company) =>
        new(company.Now.UtcDateTime.Year, company.Now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>When a running total (in time order) first reaches (or passes) an amount.</summary>
    private static DateTimeOffset FirstPast(
        IEnumerable<(SimRequest Request, decimal Cost)> ordered,
        decimal amount,
        bool inclusive
    )
    {
        var total = 0m;
        foreach (var (request, cost) in ordered)
            if ((total += cost) > amount || inclusive && total == amount)
                return request.At;
        throw new InvalidOperationException($"the total never reaches {amount}");
    }

    /// <summary>
    /// This month's team budgets (UTC), set before the usage is sent and sized from the simulation so every outcome
    /// occurs: the team that spent most gets a hard budget of 80 % of its spend (every threshold fires, it is
    /// exhausted and its breaker opens); the next a soft one it fills to about 90 % (50 and 80 fire).
    /// </summary>
    private static List<BudgetTruth> PlanBudgets(
        List<(SimRequest Request, decimal Cost)> costs,
        DateTimeOffset monthStart
    )
    {
        var teams = costs
            .Where(c => c.Request.At >= monthStart)
            .GroupBy(c => c.Request.Person.Team)
            .Select(g => (Team: g.Key, Spent: g.Sum(c => c.Cost)))
            .Where(t => t.Spent >= 1m)
            .OrderByDescending(t => t.Spent)
            .ThenBy(t => t.Team, StringComparer.Ordinal)
            .Take(2)
            .ToList();
        return teams
            .Select(
                (t, i) =>
                {
                    var amount = Math.Round(i == 0 ? t.Spent * 0.8m : t.Spent / 0.9m, 2);
                    var fired = BudgetThresholds.Where(p => t.Spent >= amount * p / 100m).ToList();
                    return new BudgetTruth(
                        "team",
                        t.Team,
                        amount,
                        HardLimit: i == 0,
                        t.Spent,
                        fired,
                        t.Spent >= amount
                    );
                }
            )
            .ToList();
    }

    /// <summary>
    /// Teams whose AI-assisted failure rate (incidents and reverts) beats the rest by more than 10 points, with at least 10 PRs of each; and
    /// the first merge or incident after which that held.
    /// </summary>
    private static IEnumerable<(string Team, DateTimeOffset At)> QualityRegressions(
        Company company,
        List<OutcomeEvent> merged
    )
    {
        var incidents = company.Outcomes.Where(o => o.Kind == "incident_opened").ToList();
        var reverts = company.Outcomes.Where(o => o.Kind == "revert").ToList();
        foreach (var team in merged.GroupBy(pr => pr.Team!))
        {
            bool Regressed(DateTimeOffset until)
            {
                bool Failed(OutcomeEvent pr) =>
                    incidents.Any(i => i.OccurredAt <= until && i.Title!.Contains(pr.Sha![..10]))
                    || reverts.Any(r => r.OccurredAt <= until && Reverts(r, pr));
                var ai = team.Where(pr => pr.AiAssisted == true && pr.OccurredAt <= until).ToList();
                var other = team.Where(pr => pr.AiAssisted != true && pr.OccurredAt <= until).ToList();
                if (ai.Count < 10 || other.Count < 10)
                    return false;
                return ((decimal)ai.Count(Failed) / ai.Count - (decimal)other.Count(Failed) / other.Count) * 100m > 10m;
            }
            if (!Regressed(DateTimeOffset.MaxValue))
                continue;
            var moments = team.Select(pr => pr.OccurredAt)
                .Concat(incidents.Concat(reverts).Where(f => f.Team == team.Key).Select(f => f.OccurredAt))
                .Order();
            yield return (team.Key, moments.First(Regressed));
        }
    }
}
