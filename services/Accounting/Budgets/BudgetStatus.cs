using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Budgets;

/// <summary>A budget in its current period: what is spent (from the charge ledger, so it cannot drift) and what fired.</summary>
public sealed record BudgetStatus(
    string ScopeType, string ScopeId, decimal AmountUsd, string Period, string TimeZone, IReadOnlyList<int> ThresholdsPercent,
    bool HardLimit, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, decimal SpentUsd, decimal RemainingUsd,
    IReadOnlyList<int> FiredThresholds, bool Exhausted);

/// <summary>Reads a budget's spend and fired thresholds for a period.</summary>
public sealed class BudgetLedger(TokenwiseSettings settings)
{
    public static string CrossingKey(Budget budget, DateTimeOffset periodStart, int percent) =>
        $"crossing:{budget.Id}:{periodStart.UtcDateTime:yyyy-MM-ddTHH:mm}Z:{percent}";

    public async Task<decimal> SpentAsync(Budget budget, DateTimeOffset start, DateTimeOffset end, NpgsqlConnection connection,
        NpgsqlTransaction? transaction, CancellationToken ct)
    {
        var scope = budget.ScopeType switch { "user" => "user_id = @scope and ", "team" => "team = @scope and ", _ => "" };
        await using var command = new NpgsqlCommand(
            $"select coalesce(sum(cost), 0) from {settings.Schema}.{ChargeLedgerTable.Name} where {scope}occurred_at >= @start and occurred_at < @end",
            connection, transaction);
        command.Parameters.AddWithValue("scope", budget.ScopeId);
        command.Parameters.AddWithValue("start", start.UtcDateTime);
        command.Parameters.AddWithValue("end", end.UtcDateTime);
        return (decimal)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<BudgetStatus> StatusAsync(Budget budget, DateTimeOffset now, CancellationToken ct)
    {
        var (start, end) = BudgetPeriods.Containing(now, budget.Period, TimeZoneInfo.FindSystemTimeZoneById(budget.TimeZone));
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        var spent = await SpentAsync(budget, start, end, connection, null, ct);
        await using var fired = new NpgsqlCommand(
            $"select key from {settings.Schema}.{ClaimedKeysTable.Name} where key = any(@keys)", connection);
        fired.Parameters.AddWithValue("keys", budget.ThresholdsPercent.Select(p => CrossingKey(budget, start, p)).ToArray());
        var firedKeys = new HashSet<string>();
        await using (var reader = await fired.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) firedKeys.Add(reader.GetString(0));
        var firedThresholds = budget.ThresholdsPercent.Where(p => firedKeys.Contains(CrossingKey(budget, start, p))).ToList();
        return new BudgetStatus(budget.ScopeType, budget.ScopeId, budget.AmountUsd, budget.Period, budget.TimeZone, budget.ThresholdsPercent,
            budget.HardLimit, start, end, spent, budget.AmountUsd - spent, firedThresholds, spent >= budget.AmountUsd);
    }
}
