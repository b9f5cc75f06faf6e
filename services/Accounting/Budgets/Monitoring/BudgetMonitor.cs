using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Budgets.Monitoring;

/// <summary>
/// Decides which thresholds a budget's period has reached and records each crossing once: the crossing's key is
/// claimed in the transaction that appends BudgetThresholdCrossed (and BudgetExhausted at 100%), so redelivery,
/// a restart or a replay of the same charges finds the key taken and publishes nothing new. For the period running
/// now it also asks the forecast (<see cref="SpendForecast"/>) whether the budget will run out before the period ends,
/// and records BudgetProjectedToRunOut once per period the same way.
/// </summary>
public sealed class BudgetMonitor(
    IdempotentWriter writer,
    BudgetSpend spend,
    TokenwiseSettings settings,
    TimeProvider clock
)
{
    public async Task EvaluateAsync(
        IReadOnlyCollection<(Budget Budget, DateTimeOffset Start, DateTimeOffset End)> periods,
        CancellationToken ct
    )
    {
        if (periods.Count == 0)
            return;
        var now = clock.GetUtcNow();
        var reached = new List<(Budget Budget, DateTimeOffset Start, DateTimeOffset End, decimal Spent, int Percent)>();
        var projected =
            new Dictionary<
                string,
                (Budget Budget, DateTimeOffset Start, DateTimeOffset End, decimal Spent, Forecast Forecast)
            >();
        await using (var connection = new NpgsqlConnection(settings.PostgresConnectionString))
        {
            await connection.OpenAsync(ct);
            var spans = periods
                .Select(p =>
                    (
                        p.Budget,
                        p.Start,
                        p.End,
                        Span: new SpendSpan(p.Budget.ScopeType, p.Budget.ScopeId, p.Start, p.End)
                    )
                )
                .ToList();
            var spentIn = await spend.SpentAsync([.. spans.Select(p => p.Span)], connection, ct);
            var running =
                new List<(Budget Budget, DateTimeOffset Start, DateTimeOffset End, decimal Spent, SpendSpan Window)>();
            foreach (var (budget, start, end, span) in spans)
            {
                var spent = spentIn[span];
                reached.AddRange(budget.Reached(spent).Select(p => (budget, start, end, spent, p)));
                // Only the period running now has a future to project, and a period warned once is not asked again.
                if (start > now || end <= now || _projected.ContainsKey(BudgetSpend.ProjectionKey(budget, start)))
                    continue;
                var (windowStart, windowEnd) = SpendForecast.Window(start, now);
                running.Add(
                    (budget, start, end, spent, new SpendSpan(budget.ScopeType, budget.ScopeId, windowStart, windowEnd))
                );
            }
            var recentIn = await spend.SpentAsync([.. running.Select(r => r.Window)], connection, ct);
            foreach (var (budget, start, end, spent, window) in running)
            {
                var forecast = SpendForecast.Project(spent, recentIn[window], window.Start, now, end, budget.AmountUsd);
                if (SpendForecast.RunsOutEarly(forecast, now, end))
                    projected[BudgetSpend.ProjectionKey(budget, start)] = (budget, start, end, spent, forecast);
            }
        }
        if (reached.Count == 0 && projected.Count == 0)
            return;
        var byKey = reached.ToDictionary(r => BudgetSpend.CrossingKey(r.Budget, r.Start, r.Percent));
        await writer.WriteOnceAsync(
            byKey.Keys.Concat(projected.Keys).ToList(),
            (claimed, session) =>
            {
                foreach (var key in claimed.Where(projected.ContainsKey))
                {
                    var (budget, start, end, spent, forecast) = projected[key];
                    session.Events.Append(
                        $"crossings:{budget.Id}",
                        new BudgetProjectedToRunOut
                        {
                            BudgetId = budget.Id,
                            ScopeType = budget.ScopeType,
                            ScopeId = budget.ScopeId,
                            AmountUsd = budget.AmountUsd,
                            SpentUsd = spent,
                            ProjectedUsd = forecast.ProjectedUsd,
                            DailyRateUsd = forecast.DailyRateUsd,
                            RunsOutAt = forecast.RunsOutAt!.Value,
                            PeriodStart = start,
                            PeriodEnd = end,
                            HardLimit = budget.HardLimit,
                            ProjectedAt = now,
                        }
                    );
                }
                foreach (
                    var (budget, start, end, spent, percent) in claimed
                        .Where(byKey.ContainsKey)
                        .Select(k => byKey[k])
                        .OrderBy(r => r.Percent)
                )
                {
                    var stream = $"crossings:{budget.Id}";
                    if (budget.ThresholdsPercent.Contains(percent))
                        session.Events.Append(
                            stream,
                            new BudgetThresholdCrossed
                            {
                                BudgetId = budget.Id,
                                ScopeType = budget.ScopeType,
                                ScopeId = budget.ScopeId,
                                ThresholdPercent = percent,
                                AmountUsd = budget.AmountUsd,
                                SpentUsd = spent,
                                PeriodStart = start,
                                PeriodEnd = end,
                                HardLimit = budget.HardLimit,
                                CrossedAt = now,
                            }
                        );
                    if (percent == Budget.ExhaustedPercent)
                        session.Events.Append(
                            stream,
                            new BudgetExhausted
                            {
                                BudgetId = budget.Id,
                                ScopeType = budget.ScopeType,
                                ScopeId = budget.ScopeId,
                                AmountUsd = budget.AmountUsd,
                                SpentUsd = spent,
                                PeriodStart = start,
                                PeriodEnd = end,
                                HardLimit = budget.HardLimit,
                                ExhaustedAt = now,
                            }
                        );
                }
            },
            ct
        );
        // Claimed now or before: either way this period's warning is recorded, and no later charge need forecast it.
        foreach (var key in projected.Keys)
            _projected.TryAdd(key, 0);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _projected = new();
}
