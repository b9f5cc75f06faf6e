using System.Data;
using Npgsql;
using Tokenwise.Accounting.Budgets;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Spend.ForecastingSpend;

/// <summary>
/// Where this period's spend is heading per team (or user, model, …): spend since the period began and over the
/// trailing week, from whole UTC days in <c>spend_daily</c> and whole hours in <c>spend_hourly</c> around them (the
/// current hour counts whole), projected with
/// <see cref="SpendForecast"/> over what the reader may see.
/// </summary>
public sealed class SpendForecastReader(TokenwiseSettings settings)
{
    public async Task<SpendForecastReport> ReadAsync(
        string dimension,
        string period,
        TimeZoneInfo zone,
        DateTimeOffset now,
        ReaderScope scope,
        CancellationToken ct
    )
    {
        var (start, end) = BudgetPeriods.Containing(now, period, zone);
        var (windowStart, endHour) = SpendForecast.Window(start, now);
        var periodStart = HourlySpendKey.HourOf(start);
        // Both sums run to the end of the current hour: whole UTC days from spend_daily, the hours around them hourly.
        var (periodFirstDay, periodEndDay) = BudgetSpend.WholeDays(periodStart, endHour);
        var (windowFirstDay, windowEndDay) = BudgetSpend.WholeDays(windowStart, endHour);
        var column = SpendQuery.Dimensions[dimension];
        var scopeSql = scope.Sql("user_id", "team");
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select subject, coalesce(sum(spent), 0) as spent, coalesce(sum(recent), 0) as recent
            from (
              select {column} as subject,
                     sum(cost) filter (where day >= @periodFirstDay and day < @periodEndDay) as spent,
                     sum(cost) filter (where day >= @windowFirstDay and day < @windowEndDay) as recent
              from {settings.Schema}.{DailySpendTable.Name}
              where day >= least(@periodFirstDay, @windowFirstDay) and day < greatest(@periodEndDay, @windowEndDay)
                and {scopeSql}
              group by {column}
              union all
              select {column},
                     sum(cost) filter (
                       where hour >= @periodStart and not (hour >= @periodFirstDay and hour < @periodEndDay)),
                     sum(cost) filter (
                       where hour >= @windowStart and not (hour >= @windowFirstDay and hour < @windowEndDay))
              from {settings.Schema}.{HourlySpendTable.Name}
              where ((hour >= @periodStart and hour < @periodFirstDay)
                  or (hour >= @windowStart and hour < @windowFirstDay)
                  or hour >= least(@periodEndDay, @windowEndDay))
                and {scopeSql}
              group by {column}
            ) as parts
            group by subject
            order by subject
            """,
            connection
        );
        foreach (
            var (name, at) in new[]
            {
                ("periodStart", periodStart),
                ("windowStart", windowStart),
                ("periodFirstDay", periodFirstDay),
                ("periodEndDay", periodEndDay),
                ("windowFirstDay", windowFirstDay),
                ("windowEndDay", windowEndDay),
            }
        )
            command.Parameters.AddWithValue(name, at.UtcDateTime);
        scope.AddTo(command);
        var groups = new List<GroupForecast>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var spent = reader.GetDecimal("spent");
            var forecast = SpendForecast.Project(spent, reader.GetDecimal("recent"), windowStart, now, end, null);
            groups.Add(
                new GroupForecast(reader.GetString("subject"), spent, forecast.ProjectedUsd, forecast.DailyRateUsd)
            );
        }
        return new SpendForecastReport(dimension, period, zone.Id, start, end, groups);
    }
}
