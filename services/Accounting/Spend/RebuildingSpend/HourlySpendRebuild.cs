using System.Data;
using Npgsql;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Spend.RebuildingSpend;

/// <summary>
/// Makes <c>spend_hourly</c> again from Accounting's charge and re-pricing events, in one transaction, while charges go
/// on arriving. The truncate takes the table's exclusive lock first: a charge transaction that already wrote to the
/// table commits before it (so its events are read), one that has not yet blocks until the rebuild commits (so its
/// events are not read, and it adds its own rows after). Every event counts once either way.
/// </summary>
public sealed class HourlySpendRebuild(TokenwiseSettings settings)
{
    public async Task<SpendRebuilt> RunAsync(CancellationToken ct)
    {
        var schema = settings.Schema;
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (
            var truncate = new NpgsqlCommand($"truncate {schema}.{HourlySpendTable.Name}", connection, transaction)
        )
            await truncate.ExecuteNonQueryAsync(ct);

        // Summed while reading, one event at a time: a long history never sits in memory whole, only its rows.
        var events = 0L;
        List<(HourlySpendKey Key, HourlySpendDelta Delta)> rows;
        await using (
            var read = new NpgsqlCommand(
                $"""
                select type, bdata
                from {schema}.mt_events
                where type in ('usage_charged_batch', 'usage_repriced_batch')
                order by seq_id
                """,
                connection,
                transaction
            )
        )
        {
            await using var reader = await read.ExecuteReaderAsync(ct);
            rows = HourlySpendProjection.Deltas(Events(reader)).ToList();
        }

        var upsert = HourlySpendProjection.UpsertSql(schema, named: true);
        foreach (var page in rows.Chunk(1000))
        {
            await using var command = new NpgsqlCommand(upsert, connection, transaction);
            var values = HourlySpendProjection.UpsertParameters(page);
            for (var i = 0; i < values.Length; i++)
                command.Parameters.AddWithValue(HourlySpendProjection.ColumnNames[i], values[i]);
            await command.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return new SpendRebuilt(events, rows.Count);

        IEnumerable<object> Events(NpgsqlDataReader reader)
        {
            while (reader.Read())
            {
                events++;
                var type =
                    reader.GetString("type") == "usage_charged_batch"
                        ? typeof(UsageChargedBatch)
                        : typeof(UsageRepricedBatch);
                yield return BinaryEvents.Serializer.Deserialize(type, reader.GetFieldValue<byte[]>("bdata"));
            }
        }
    }
}
