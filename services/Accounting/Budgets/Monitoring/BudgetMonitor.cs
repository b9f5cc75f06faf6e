using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Budgets.Monitoring;

/// <summary>
/// Decides which thresholds a budget's period has reached and records each crossing once: the crossing's key is
/// claimed in the transaction that appends BudgetThresholdCrossed (and BudgetExhausted at 100%), so redelivery,
/// a restart or a replay of the same charges finds the key taken and publishes nothing new.
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
        var reached = new List<(Budget Budget, DateTimeOffset Start, DateTimeOffset End, decimal Spent, int Percent)>();
        await using (var connection = new NpgsqlConnection(settings.PostgresConnectionString))
        {
            await connection.OpenAsync(ct);
            foreach (var (budget, start, end) in periods)
            {
                var spent = await spend.SpentAsync(budget, start, end, connection, null, ct);
                reached.AddRange(budget.Reached(spent).Select(p => (budget, start, end, spent, p)));
            }
        }
        if (reached.Count == 0)
            return;
        var byKey = reached.ToDictionary(r => BudgetSpend.CrossingKey(r.Budget, r.Start, r.Percent));
        await writer.WriteOnceAsync(
            byKey.Keys,
            (claimed, session) =>
            {
                var now = clock.GetUtcNow();
                foreach (
                    var (budget, start, end, spent, percent) in claimed.Select(k => byKey[k]).OrderBy(r => r.Percent)
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
    }
}
