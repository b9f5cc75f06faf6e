using System.Data;
using Npgsql;
using Tokenwise.Accounting.Ledger;
using Tokenwise.Accounting.Spend.QueryingSpend;
using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Reconciliation;

/// <summary>
/// Our cost beside the cost the sender reported, by model and day in the query's zone, for the charges that carry a
/// reported cost: where a gateway's or provider's figure disagrees with the price book.
/// </summary>
public sealed class ReconciliationReader(TokenwiseSettings settings)
{
    public async Task<ReconciliationReport> ReadAsync(SpendQuery query, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select model_key, (occurred_at at time zone @zone)::date as day,
                   count(*) as requests, sum(cost) as our_cost, sum(reported_cost) as reported_cost
            from {settings.Schema}.{ChargeLedgerTable.Name}
            where reported_cost is not null
              and occurred_at >= @from and occurred_at < @to
            group by model_key, day
            order by day, model_key
            """,
            connection
        );
        command.Parameters.AddWithValue("zone", query.Zone.Id);
        command.Parameters.AddWithValue("from", query.FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", query.ToInstantExclusive.UtcDateTime);
        var rows = new List<ReconciliationRow>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var ours = reader.GetDecimal("our_cost");
                var theirs = reader.GetDecimal("reported_cost");
                rows.Add(
                    new ReconciliationRow(
                        reader.GetString("model_key"),
                        DateOnly.FromDateTime(reader.GetDateTime("day")),
                        reader.GetInt64("requests"),
                        ours,
                        theirs,
                        theirs - ours,
                        DriftPercent(ours, theirs)
                    )
                );
            }
        var our = rows.Sum(r => r.OurCostUsd);
        var reported = rows.Sum(r => r.ReportedCostUsd);
        return new ReconciliationReport(query.From, query.To, query.Zone.Id, rows, our, reported, reported - our);
    }

    /// <summary>How far the reported cost is from ours, in percent of ours (two places); none when ours is zero.</summary>
    public static decimal? DriftPercent(decimal ours, decimal theirs) =>
        ours == 0 ? null : Math.Round((theirs - ours) / ours * 100, 2);
}
