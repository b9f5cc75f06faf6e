using System.Globalization;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Efficiency;
using Tokenwise.Outcomes.Quality;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Leadership;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Quality.Detecting;

/// <summary>
/// Runs the detections on a timer on the one instance that leads them (<see cref="LeaderElection"/>), and records each finding once: its key
/// (subject and day, or team and week) is claimed in the transaction that appends the event the relay publishes.
/// </summary>
public sealed class Detector(
    IServiceProvider services,
    DetectionOptions options,
    TokenwiseSettings settings,
    LeaderElection election,
    TimeProvider clock,
    ILogger<Detector> logger
) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        election.RunWhileLeadingAsync(
            "quality-detector",
            async lead =>
            {
                using var timer = new PeriodicTimer(options.Every, clock);
                while (await timer.WaitForNextTickAsync(lead))
                {
                    try
                    {
                        await DetectAsync(lead);
                    }
                    catch (Exception e) when (!lead.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Detections failed; trying again in {Every}", options.Every);
                    }
                }
            },
            stoppingToken
        );

    public async Task DetectAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var reader = scope.ServiceProvider.GetRequiredService<EfficiencyFactsReader>();
        var store = scope.ServiceProvider.GetRequiredService<OutcomeStore>();
        var writer = scope.ServiceProvider.GetRequiredService<IdempotentWriter>();
        var now = clock.GetUtcNow();
        var findings = new Dictionary<string, object>();

        var zeroWindow = now - options.ZeroOutcome.Window;
        var spend = (await reader.ReadAsync(zeroWindow, now, ct)).Spend;
        Dictionary<string, string> userManagers,
            teamManagers;
        await using (var connection = new NpgsqlConnection(settings.PostgresConnectionString))
        {
            await connection.OpenAsync(ct);
            (userManagers, teamManagers) = await store.ManagersAsync(connection, ct);
        }
        foreach (
            var (scopeType, select) in new (
                string,
                Func<(string? User, string? Team, string? Repo, decimal Cost, bool Attributed), string?>
            )[]
            {
                ("user", s => s.User),
                ("team", s => s.Team),
            }
        )
        foreach (var subject in spend.Where(s => select(s) is not null).GroupBy(s => select(s)!))
        {
            var total = subject.Sum(s => s.Cost);
            if (!options.ZeroOutcome.Detects(total, subject.Where(s => s.Attributed).Sum(s => s.Cost)))
                continue;
            findings[$"zero-outcome:{scopeType}:{subject.Key}:{now:yyyy-MM-dd}"] = new ZeroOutcomeSpendDetected
            {
                ScopeType = scopeType,
                ScopeId = subject.Key,
                SpendUsd = total,
                FloorUsd = options.ZeroOutcome.FloorUsd,
                WindowStart = zeroWindow,
                WindowEnd = now,
                DetectedAt = now,
                Manager = (scopeType == "user" ? userManagers : teamManagers).GetValueOrDefault(subject.Key),
            };
        }

        var qualityWindow = now - options.QualityWindow;
        var merged = (await reader.ReadAsync(qualityWindow, now, ct)).Merged;
        var week = $"{ISOWeek.GetYear(now.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(now.UtcDateTime):00}";
        foreach (
            var rates in ChangeFailures.Rates(
                merged.Select(m => m.Change).ToList(),
                merged.Where(m => m.Failed).Select(m => m.Change.Key).ToHashSet(),
                pr => pr.Team ?? ""
            )
        )
        {
            if (rates.Group.Length == 0 || !options.Quality.IsRegression(rates))
                continue;
            findings[$"quality:{rates.Group}:{week}"] = new QualityRegressionDetected
            {
                Team = rates.Group,
                AiAssistedMerged = rates.AiAssisted.Merged,
                AiAssistedFailed = rates.AiAssisted.Failed,
                OtherMerged = rates.Other.Merged,
                OtherFailed = rates.Other.Failed,
                MarginPercentagePoints = options.Quality.MarginPercentagePoints,
                WindowStart = qualityWindow,
                WindowEnd = now,
                DetectedAt = now,
            };
        }
        if (findings.Count == 0)
            return;
        await writer.WriteOnceAsync(
            findings.Keys,
            (claimed, session) =>
            {
                foreach (var key in claimed)
                    session.Events.Append("detection:" + key, findings[key]);
            },
            ct
        );
    }
}
