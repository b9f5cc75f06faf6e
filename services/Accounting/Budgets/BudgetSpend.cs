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

    /// <summary>What one budget's scope spent in [start, end) (<see cref="SpentAsync(IReadOnlyCollection{SpendSpan}, NpgsqlConnection, CancellationToken)"/>).</summary>
    public async Task<decimal> SpentAsync(
        Budget budget,
        DateTimeOffset start,
        DateTimeOffset end,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        var span = new SpendSpan(budget.ScopeType, budget.ScopeId, start, end);
        return (await SpentAsync([span], connection, ct))[span];
    }

    /// <summary>
    /// What each span's scope spent in its [start, end): whole UTC days from <c>spend_daily</c> and the whole UTC hours
    /// around them from <c>spend_hourly</c>, which the charges' own transactions keep (so they equal the ledger), and
    /// the part-hours at either end, in zones whose day does not start on a UTC hour (India, Nepal, South Australia),
    /// from the charge ledger itself. Spans of one scope type over the same time are one query (twenty team budgets
    /// in one month read their rows together), and every query goes in one round trip.
    /// </summary>
    public async Task<IReadOnlyDictionary<SpendSpan, decimal>> SpentAsync(
        IReadOnlyCollection<SpendSpan> spans,
        NpgsqlConnection connection,
        CancellationToken ct
    )
    {
        var spent = new Dictionary<SpendSpan, decimal>();
        if (spans.Count == 0)
            return spent;
        var groups = spans.Distinct().GroupBy(s => (s.ScopeType, s.Start, s.End)).ToList();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var group in groups)
            batch.BatchCommands.Add(
                SpentCommand(group.Key.ScopeType, [.. group.Select(s => s.ScopeId)], group.Key.Start, group.Key.End)
            );
        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var group in groups)
        {
            var byScope = new Dictionary<string, decimal>();
            while (await reader.ReadAsync(ct))
                byScope[reader.GetString(0)] = reader.GetDecimal(1);
            foreach (var span in group)
                spent[span] = byScope.GetValueOrDefault(ScopeColumn(span.ScopeType) is null ? "" : span.ScopeId);
            await reader.NextResultAsync(ct);
        }
        return spent;
    }

    /// <summary>The spend column a budget's scope is matched on; none for a budget over everyone.</summary>
    private static string? ScopeColumn(string scopeType) =>
        scopeType switch
        {
            "user" => "user_id",
            "team" => "team",
            _ => null,
        };

    private NpgsqlBatchCommand SpentCommand(
        string scopeType,
        string[] scopeIds,
        DateTimeOffset start,
        DateTimeOffset end
    )
    {
        var (firstHour, endHour) = WholeHours(start, end);
        var (firstDay, endDay) = WholeDays(firstHour, endHour);
        var column = ScopeColumn(scopeType);
        var (scope, covered) = column is null ? ("''::text", "true") : (column, $"{column} = any($1)");
        // A range on whole UTC hours (every UTC budget, most zones) has no part-hours: the ledger is not read at all.
        var ledger =
            start < firstHour || endHour < end
                ? $"""
                    union all
                    select {scope}, cost
                    from {settings.Schema}.{ChargeLedgerTable.Name}
                    where {covered}
                      and ((occurred_at >= $2 and occurred_at < $4) or (occurred_at >= $5 and occurred_at < $3))
                    """
                : "";
        var command = new NpgsqlBatchCommand(
            $"""
            select scope, sum(cost)
            from (
              select {scope} as scope, cost
              from {settings.Schema}.{DailySpendTable.Name}
              where {covered}
                and day >= $6 and day < $7
              union all
              select {scope}, cost
              from {settings.Schema}.{HourlySpendTable.Name}
              where {covered}
                and ((hour >= $4 and hour < $6) or (hour >= $7 and hour < $5))
              {ledger}
            ) spent
            group by scope
            """
        );
        foreach (
            var value in new object[]
            {
                scopeIds,
                start.UtcDateTime,
                end.UtcDateTime,
                firstHour.UtcDateTime,
                endHour.UtcDateTime,
                firstDay.UtcDateTime,
                endDay.UtcDateTime,
            }
        )
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
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

    /// <summary>A budget in its current period (<see cref="StatusesAsync"/>).</summary>
    public async Task<BudgetView> StatusAsync(Budget budget, DateTimeOffset now, CancellationToken ct) =>
        (await StatusesAsync([budget], now, ct))[0];

    /// <summary>
    /// Budgets in their current periods: what is spent, which thresholds fired, and where spend is heading
    /// (<see cref="SpendForecast"/>), read in two round trips however many budgets there are.
    /// </summary>
    public async Task<IReadOnlyList<BudgetView>> StatusesAsync(
        IReadOnlyList<Budget> budgets,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var periods = budgets
            .Select(budget =>
            {
                var (start, end) = BudgetPeriods.Containing(
                    now,
                    budget.Period,
                    TimeZoneInfo.FindSystemTimeZoneById(budget.TimeZone)
                );
                var (windowStart, windowEnd) = SpendForecast.Window(start, now);
                return (
                    Budget: budget,
                    Period: new SpendSpan(budget.ScopeType, budget.ScopeId, start, end),
                    Window: new SpendSpan(budget.ScopeType, budget.ScopeId, windowStart, windowEnd)
                );
            })
            .ToList();
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        var spent = await SpentAsync([.. periods.SelectMany(p => new[] { p.Period, p.Window })], connection, ct);
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
            periods
                .SelectMany(p => p.Budget.ThresholdsPercent.Select(t => CrossingKey(p.Budget, p.Period.Start, t)))
                .ToArray()
        );
        var firedKeys = new HashSet<string>();
        await using (var reader = await fired.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                firedKeys.Add(reader.GetString("key"));
        return periods
            .Select(p =>
            {
                var (budget, period, window) = p;
                var periodSpent = spent[period];
                var forecast = SpendForecast.Project(
                    periodSpent,
                    spent[window],
                    window.Start,
                    now,
                    period.End,
                    budget.AmountUsd
                );
                return new BudgetView(
                    budget.ScopeType,
                    budget.ScopeId,
                    budget.AmountUsd,
                    budget.Period,
                    budget.TimeZone,
                    budget.ThresholdsPercent,
                    budget.HardLimit,
                    period.Start,
                    period.End,
                    periodSpent,
                    budget.AmountUsd - periodSpent,
                    budget
                        .ThresholdsPercent.Where(t => firedKeys.Contains(CrossingKey(budget, period.Start, t)))
                        .ToList(),
                    periodSpent >= budget.AmountUsd,
                    new BudgetForecast(
                        forecast.ProjectedUsd,
                        forecast.DailyRateUsd,
                        forecast.RunsOutAt,
                        SpendForecast.RunsOutEarly(forecast, now, period.End)
                    )
                );
            })
            .ToList();
    }
}

/// <summary>A scope's stretch of time whose spend is asked: [Start, End) of a user, a team, or everyone.</summary>
public sealed record SpendSpan(string ScopeType, string ScopeId, DateTimeOffset Start, DateTimeOffset End);
