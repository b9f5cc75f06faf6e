using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The ceiling to compare ingest against: PostgreSQL binary COPY of the same events (id text, jsonb data) into a
/// table with a primary key and a unique index on id — what a write of each event, deduplicated by id, costs at best.
/// </summary>
internal static class CopyBaseline
{
    public static async Task<double> RowsPerSecond(string connectionString, int rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var table = "bench_copy_" + Guid.NewGuid().ToString("N")[..8];
        await Exec(
            connection,
            $"create table {table} (seq bigserial primary key, id text not null, data jsonb not null); "
                + $"create unique index on {table} (id)"
        );
        var payloads = Enumerable
            .Range(0, rows)
            .Select(n => JsonSerializer.Serialize(Workload.Event("copy", n)))
            .ToList();
        try
        {
            var watch = Stopwatch.StartNew();
            await using (
                var writer = await connection.BeginBinaryImportAsync(
                    $"copy {table} (id, data) from stdin (format binary)"
                )
            )
            {
                for (var n = 0; n < rows; n++)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync($"copy-{n}", NpgsqlDbType.Text);
                    await writer.WriteAsync(payloads[n], NpgsqlDbType.Jsonb);
                }
                await writer.CompleteAsync();
            }
            return rows / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            await Exec(connection, $"drop table {table}");
        }
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
