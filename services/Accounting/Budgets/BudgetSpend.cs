using System.Data;
using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Budgets;

/// <summary>Reads a budget's spend, fired thresholds and forecast for a period.</summary>
public sealed class BudgetSpend(TokenwiseSettings settings)
{
    public static string CrossingKey(Budget budget, DateTimeOffset periodStart, int percent) =>
        $"crossing:{budget.Id}:{periodStart.UtcDateTime:yyyy-MM-ddTHH:mm}Z:{percent}";

    /// <summary>The claim that a budget's period was projected to run out early: at most one warning per period.</summary>
    public static string ProjectionKey(Budget budget, DateTimeOffset periodStart) =>
        $"projection:{budget.Id}:{periodStart.UtcDateTime:yyyy-MM-ddTHH:mm}Z";

    /// <summary>
    /// What a budget's scope spent in [start, end): whole UTC days from <c>spend_daily</c> and the whole UTC hours
    /// around them from <c>spend_hourly</c>, which the charges' own transactions keep (so they equal the ledger), and
    /// the part-hours at either end, in zones whose day does not start on a UTC hour (India, Nepal, South Australia),
    /// from the charge ledger itself.
    /// </summary>
    public async Task<decimal> SpentAsync(
        Budget budget,
        DateTimeOffset start,
        DateTimeOffset end,
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        CancellationToken ct
    )
    {
        var (firstHour, endHour) = WholeHours(start, end);
        var (firstDay, endDay) = WholeDays(firstHour, endHour);
        var scope = budget.ScopeType switch
        {
            "user" => "user_id = @scope",
            "team" => "team = @scope",
            _ => "true",
        };
        // A range on whole UTC hours (every UTC budget, most zones) has no part-hours: the ledger is not read at all.
        var partHours = start < firstHour || endHour < end;
        var ledger = partHours
            ? $"""
                + coalesce((
                  select sum(cost)
                  from {settings.Schema}.{ChargeLedgerTable.Name}
                  where {scope}
                    and ((occurred_at >= @start and occurred_at < @firstHour) or (occurred_at >= @endHour and occurred_at < @end))), 0)
                """
            : "";
        await using var command = new NpgsqlCommand(
            $"""
            select
              coalesce((
                select sum(cost)
                from {settings.Schema}.{DailySpendTable.Name}
                where {scope}
                  and day >= @firstDay and day < @endDay), 0)
              + coalesce((
                select sum(cost)
                from {settings.Schema}.{HourlySpendTable.Name}
                where {scope}
                  and ((hour >= @firstHour and hour < @firstDay) or (hour >= @endDay and hour < @endHour))), 0)
              {ledger}
              as spent
            """,
            connection,
            transaction
        );
        command.Parameters.AddWithValue("scope", budget.ScopeId);
        command.Parameters.AddWithValue("start", start.UtcDateTime);
        command.Parameters.AddWithValue("end", end.UtcDateTime);
        command.Parameters.AddWithValue("firstHour", firstHour.UtcDateTime);
        command.Parameters.AddWithValue("endHour", endHour.UtcDateTime);
        command.Parameters.AddWithValue("firstDay", firstDay.UtcDateTime);
        command.Parameters.AddWithValue("endDay", endDay.UtcDateTime);
        return (decimal)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The UTC hours wholly inside [start, end), as [first, end); none (both at <paramref name="end"/>) when there are none.</summary>
    public static (DateTimeOffset First, DateTimeOffset End) WholeHours(DateTimeOffset start, DateTimeOffset end)
    {
        var first =
            HourlySpendKey.HourOf(start) == start ? start.ToUniversalTime() : HourlySpendKey.HourOf(start).AddHours(1);
        var last = HourlySpendKey.HourOf(end);
        return first < last ? (first, last) : (end, end);
    }

    /// <summary>
    /// The UTC days wholly inside [first, end) (UTC hours), as [first, end); none (both at <paramref name="end"/>) when
    /// there are none.
    /// </summary>
    public static (DateTimeOffset First, DateTimeOffset End) WholeDays(DateTimeOffset first, DateTimeOffset end)
    {
        static DateTimeOffset DayOf(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
        var firstDay = DayOf(first) == first ? first.ToUniversalTime() : DayOf(first).AddDays(1);
        var lastDay = DayOf(end);
        return firstDay < lastDay ? (firstDay, lastDay) : (end, end);
    }

    /// <summary>
    /// A budget in its current period: what is spent (whole hours from spend_hourly, part-hours from the charge ledger),
    /// which thresholds fired, and where spend is heading (<see cref="SpendForecast"/>).
    /// </summary>
    public async Task<BudgetView> StatusAsync(Budget budget, DateTimeOffset now, CancellationToken ct)
    {
        var (start, end) = BudgetPeriods.Containing(
            now,
            budget.Period,
            TimeZoneInfo.FindSystemTimeZoneById(budget.TimeZone)
        );
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        var spent = await SpentAsync(budget, start, end, connection, null, ct);
        var (windowStart, windowEnd) = SpendForecast.Window(start, now);
        var recent = await SpentAsync(budget, windowStart, windowEnd, connection, null, ct);
        var forecast = SpendForecast.Project(spent, recent, windowStart, now, end, budget.AmountUsd);
        await using var fired = new NpgsqlCommand(
            $"""
            select key
            from {settings.Schema}.{ClaimedKeysTable.Name}
            where key = any(@keys)
            """,
            connection
        );
        fired.Parameters.AddWithValue(
            "keys",
            budget.ThresholdsPercent.Select(p => CrossingKey(budget, start, p)).ToArray()
        );
        var firedKeys = new HashSet<string>();
        await using (var reader = await fired.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                firedKeys.Add(reader.GetString("key"));
        var firedThresholds = budget
            .ThresholdsPercent.Where(p => firedKeys.Contains(CrossingKey(budget, start, p)))
            .ToList();
        return new BudgetView(
            budget.ScopeType,
            budget.ScopeId,
            budget.AmountUsd,
            budget.Period,
            budget.TimeZone,
            budget.ThresholdsPercent,
            budget.HardLimit,
            start,
            end,
            spent,
            budget.AmountUsd - spent,
            firedThresholds,
            spent >= budget.AmountUsd,
            new BudgetForecast(
                forecast.ProjectedUsd,
                forecast.DailyRateUsd,
                forecast.RunsOutAt,
                SpendForecast.RunsOutEarly(forecast, now, end)
            )
        );
    }
}
