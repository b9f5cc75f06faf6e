using System.Diagnostics;
using Tokenwise.Client;
using Tokenwise.Client.Apis;

namespace Tokenwise.Simulator;

/// <summary>What ./run.sh --demo prints once the company has been sent: spend by team, cost per merged PR, open alerts, the value board.</summary>
public static class DemoReport
{
    public static async Task PrintAsync(Uri ingestion, string key, Company company, GroundTruth truth)
    {
        Uri At(int port) => new UriBuilder(ingestion) { Port = port }.Uri;
        var spend = TokenwiseClients.Create<IAccountingApi>(At(5102), key, RetryPolicy.Default);
        var outcomes = TokenwiseClients.Create<IOutcomesApi>(At(5103), key, RetryPolicy.Default);
        var alerting = TokenwiseClients.Create<IAlertingApi>(At(5104), key, RetryPolicy.Default);
        var (from, to) = (
            company.Now.AddDays(-company.Options.Days - 1).ToString("yyyy-MM-dd"),
            company.Now.ToString("yyyy-MM-dd")
        );

        var watch = Stopwatch.StartNew();
        Console.WriteLine("Waiting for every service to catch up...");
        // Detections run on timers (Outcomes every minute), so the report waits for the expected alerts, up to two minutes.
        while (watch.Elapsed < TimeSpan.FromMinutes(2))
        {
            var open = (await alerting.ListAlertsAsync()).Content ?? [];
            if (truth.Alerts.All(e => open.Any(a => a.Kind == e.Kind && a.Scope.Id == e.ScopeId)))
                break;
            await Task.Delay(1_000);
        }

        var teams = (await spend.GetSpendAsync("team", from, to)).Content!;
        Console.WriteLine($"\nSpend by team, {from} to {to} (UTC):");
        foreach (var row in teams.Rows.OrderByDescending(r => r.Figures.CostUsd))
            Console.WriteLine(
                $"  {(row.Group["team"] is { Length: > 0 } team ? team : "(no team)"), -12} ${row.Figures.CostUsd, 10:N2}   {row.Figures.Requests, 7:N0} requests"
            );
        Console.WriteLine(
            $"  {"total", -12} ${teams.Totals.CostUsd, 10:N2}   (ground truth from the price book: ${truth.TotalUsd:N2})"
        );

        var efficiency = (await outcomes.GetEfficiencyAsync("user", from, to)).Content!;
        Console.WriteLine("\nHighest cost per merged PR (mean), by engineer:");
        foreach (
            var row in efficiency
                .Rows.Where(r => r.CostPerMergedPrMeanUsd is not null)
                .OrderByDescending(r => r.CostPerMergedPrMeanUsd)
                .Take(5)
        )
            Console.WriteLine(
                $"  {row.Group, -24} ${row.CostPerMergedPrMeanUsd, 8:N2} per PR over {row.MergedPrs} PRs; "
                    + $"{row.UnattributedShare:P0} of ${row.SpendUsd:N2} produced no merged PR"
            );
        var idle = efficiency
            .Rows.Where(r => r.MergedPrs == 0 && r.SpendUsd > 0)
            .OrderByDescending(r => r.SpendUsd)
            .FirstOrDefault();
        if (idle is not null)
            Console.WriteLine($"  and {idle.Group} spent ${idle.SpendUsd:N2} with no merged PR at all");

        Console.WriteLine("\nOpen alerts:");
        foreach (
            var alert in ((await alerting.ListAlertsAsync(status: "open")).Content ?? []).OrderByDescending(a =>
                a.Severity switch
                {
                    "critical" => 3,
                    "warning" => 2,
                    _ => 1,
                }
            )
        )
            Console.WriteLine(
                $"  [{alert.Severity, -8}] {alert.Kind, -10} {alert.Title}{(alert.Manager is null ? "" : $" (to {alert.Manager})")}"
            );

        var board = (await outcomes.GetValueboardAsync("month", "team")).Content!;
        Console.WriteLine("\nValue board this month (merged PRs without an incident or revert; tokens never count):");
        foreach (var row in board.Rows)
            Console.WriteLine(
                $"  {row.Rank}. {row.Group, -10} {row.MergedPrsWithoutFailure, 4} good PRs   ${row.SpendPerGoodPrUsd, 8:N2} per good PR"
            );

        var breaker = (await alerting.GetBreakerAsync(company.Runaway.User)).Content;
        Console.WriteLine(
            $"\nThe runaway loop's owner {company.Runaway.User}: breaker {breaker?.State} ({breaker?.Reason})."
        );
        Console.WriteLine(
            """

            Look around:
              Ingestion   http://localhost:5101/openapi/v1.json
              Accounting  http://localhost:5102/openapi/v1.json   GET /v1/spend?groupBy=team,model
              Outcomes    http://localhost:5103/openapi/v1.json   GET /v1/efficiency?groupBy=team
              Alerting    http://localhost:5104/openapi/v1.json   GET /v1/alerts?status=open
              RabbitMQ    http://localhost:15672 (tokenwise_admin, .run/rabbitmq-admin-password): exchange tokenwise.alerts
            Every request needs "Authorization: Bearer <the admin key printed above>".
            """
        );
    }
}
