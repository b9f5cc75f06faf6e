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
/// trailing week, from <c>spend_hourly</c>'s whole hours (the current hour counts whole), projected with
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
        // spend_hourly holds whole hours, so the window starts on one and its length is measured from there.
        var windowStart = HourlySpendKey.HourOf(SpendForecast.WindowStart(start, now));
        var column = SpendQuery.Dimensions[dimension];
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select {column} as subject,
                   coalesce(sum(cost) filter (where hour >= @periodStart), 0) as spent,
                   coalesce(sum(cost) filter (where hour >= @windowStart), 0) as recent
            from {settings.Schema}.{HourlySpendTable.Name}
            where hour >= least(@periodStart, @windowStart)
              and {scope.Sql("user_id", "team")}
            group by {column}
            order by {column}
            """,
            connection
        );
        command.Parameters.AddWithValue("periodStart", HourlySpendKey.HourOf(start).UtcDateTime);
        command.Parameters.AddWithValue("windowStart", windowStart.UtcDateTime);
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
