using System.Net;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Simulator;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.EndToEnd;

/// <summary>
/// Waits for the services to settle (on conditions, with a deadline), then holds every figure to the ground truth. Reads
/// with the SDK's retry policy, as a dashboard would: right after an outage a first query may meet a 503.
/// </summary>
public static class CompanyChecks
{
    private static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    public static string PriceBookFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
                return Path.Combine(dir.FullName, "services", "Accounting", "Pricing", "default-price-book.json");
        throw new InvalidOperationException("Platform.sln not found");
    }

    /// <param name="otherCritical">Critical alerts besides the company's own ("kind type:id"), e.g. the pipeline alert a poison sender causes.</param>
    public static async Task AssertMatchesAsync(
        ICompanySystem system,
        Company company,
        GroundTruth truth,
        IReadOnlyList<string>? otherCritical = null
    )
    {
        var spend = system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default);
        var (from, to) = (
            company.Now.AddDays(-company.Options.Days - 1).ToString("yyyy-MM-dd"),
            company.Now.AddDays(1).ToString("yyyy-MM-dd")
        );
        // Only the company's people and teams: a suite may send other load beside it (the fault suite's filler).
        var members = new[] { truth.CostByUserDay, truth.CostByTeamDay }
            .SelectMany(d => d.Keys)
            .Select(k => k.Split('|')[0])
            .ToHashSet();
        await Eventually.Until(
            async () =>
                (await spend.GetSpendAsync("user", from, to))
                    .Content!.Rows.Where(r => members.Contains(r.Group["user"]))
                    .Sum(r => r.Figures.Requests),
            n => n == truth.Requests,
            $"Accounting to charge all {truth.Requests} requests, each once",
            Settle
        );
        foreach (var (dimension, expected) in new[] { ("user", truth.CostByUserDay), ("team", truth.CostByTeamDay) })
        {
            var rows = (await spend.GetSpendAsync(dimension, from, to, interval: "day"))
                .Content!.Rows.Where(r => members.Contains(r.Group[dimension]))
                .ToList();
            var reported = rows.ToDictionary(r => $"{r.Group[dimension]}|{r.Period![..10]}", r => r.Figures.CostUsd);
            Assert.Equal(expected.Keys.Order(), reported.Keys.Order());
            var off = expected
                .Where(e => Math.Round(reported[e.Key], 2) != Math.Round(e.Value, 2))
                .Select(e => $"{e.Key}: {reported[e.Key]} ≠ {e.Value}")
                .ToList();
            Assert.True(off.Count == 0, $"{dimension} days off by a cent or more: {string.Join("; ", off)}");
        }

        var outcomes = system.Outcomes.Client<IOutcomesApi>(retry: RetryPolicy.Default);
        foreach (var pr in truth.Prs)
        {
            var (owner, name) = (pr.Repo.Split('/')[0], pr.Repo.Split('/')[1]);
            var report = await Eventually.Until(
                async () => (await outcomes.GetPrAsync(owner, name, pr.Number)).Content,
                r => r is not null && r.Requests == pr.Requests && r.Reverted == pr.Reverted,
                $"{pr.Repo}#{pr.Number} to hold its {pr.Requests} requests{(pr.Reverted ? " and show its revert" : "")}",
                Settle
            );
            Assert.Equal(Math.Round(pr.CostUsd, 2), Math.Round(report!.CostUsd, 2));
        }

        var alerting = system.Alerting.Client<IAlertingApi>(retry: RetryPolicy.Default);
        // A budget alert escalates as thresholds fire: wait for every expected alert at its final severity.
        var (alerts, _) = await Eventually.Until(
            async () =>
            {
                var found = (await alerting.ListAlertsAsync()).Content!;
                return (
                    found,
                    Missing: string.Join(
                        "; ",
                        truth.Alerts.Where(e =>
                            !found.Any(a =>
                                a.Kind == e.Kind
                                && a.Scope.Type == e.ScopeType
                                && a.Scope.Id == e.ScopeId
                                && a.Severity == e.Severity
                            )
                        )
                    )
                );
            },
            seen => seen.Missing.Length == 0,
            "every expected alert at its severity",
            Settle
        );
        foreach (var expected in truth.Alerts)
        {
            var raised = alerts
                .Where(a =>
                    a.Kind == expected.Kind && a.Scope.Type == expected.ScopeType && a.Scope.Id == expected.ScopeId
                )
                .ToList();
            Assert.True(raised.Count == 1, $"{expected} raised {raised.Count} times");
            Assert.Equal(expected.Severity, raised[0].Severity);
            Assert.True(
                raised[0].RaisedAt >= expected.EarliestAt,
                $"{expected} raised at {raised[0].RaisedAt:O}, before its evidence was complete"
            );
        }
        var critical = alerts
            .Where(a => a.Severity == "critical")
            .Select(a => $"{a.Kind} {a.Scope.Type}:{a.Scope.Id}")
            .Order();
        Assert.Equal(
            truth
                .Alerts.Where(a => a.Severity == "critical")
                .Select(a => $"{a.Kind} {a.ScopeType}:{a.ScopeId}")
                .Concat(otherCritical ?? [])
                .Order(),
            critical
        );
        // The breaker reaches each instance's board over the broker, a moment after the alert is stored.
        await Eventually.Until(
            async () => await alerting.GetBreakerAsync(truth.RunawayUser),
            b => b.StatusCode == HttpStatusCode.OK && b.Content!.State == "open",
            $"{truth.RunawayUser}'s breaker to open",
            Settle
        );
        await AssertBudgetsAsync(system, company, truth);
    }

    /// <summary>Each budget's spend, fired thresholds and exhaustion; a hard budget's team is refused at /v1/check, a soft one's is not.</summary>
    private static async Task AssertBudgetsAsync(ICompanySystem system, Company company, GroundTruth truth)
    {
        // Only on the 1st of a month (UTC) does the company set none: its work so far this month is under $1 a team.
        Assert.True(truth.Budgets.Count > 0 || company.Now.UtcDateTime.Day == 1, "the company set no budgets");
        var accounting = system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default);
        var alerting = system.Alerting.Client<IAlertingApi>(retry: RetryPolicy.Default);
        foreach (var budget in truth.Budgets)
        {
            var view = (
                await Eventually.Until(
                    async () => (await accounting.GetBudgetAsync(budget.ScopeType, budget.ScopeId)).Content,
                    v => v is not null && Math.Round(v.SpentUsd, 2) == Math.Round(budget.SpentUsd, 2),
                    $"{budget.ScopeId}'s budget to hold ${budget.SpentUsd:0.00}",
                    Settle
                )
            )!;
            Assert.Equal(budget.FiredThresholds, view.FiredThresholds.Order());
            Assert.Equal(budget.Exhausted, view.Exhausted);
            // A gateway asking for someone new in the team: no breaker of their own, so only the team's can refuse them.
            var check = await Eventually.Until(
                async () => (await alerting.CheckAsync($"newcomer@{budget.ScopeId}.example", budget.ScopeId)).Content!,
                c => c.Allow != budget.HardLimit,
                $"{budget.ScopeId} to be {(budget.HardLimit ? "refused by its hard budget" : "allowed")}",
                Settle
            );
            if (budget.HardLimit)
                Assert.Equal(("team", budget.ScopeId), (check.Breaker!.ScopeType, check.Breaker.ScopeId));
        }
    }
}
