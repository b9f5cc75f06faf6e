using System.Text.Json;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>
/// <c>spend_hourly</c>: charged usage summed per UTC hour, user, team, provider, model, tool, repo and price-book
/// version — the flat table data teams query (docs/sql.md) and the source of GET /v1/spend, its price versions
/// included. Absent dimensions are stored as '' (an unpriced charge has price_version ''). A re-priced charge moves
/// from its old version's row to its new one, so a row can fall to zero requests.
/// </summary>
public static class HourlySpendTable
{
    public const string Name = "spend_hourly";
    public static readonly string[] Dimensions = ["user_id", "team", "provider", "model", "tool", "repo", "price_version"];
    public static readonly string[] Measures =
    [
        "requests", "unpriced_requests", "input_tokens", "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens",
        "output_tokens", "reasoning_tokens", "input_cost", "cache_read_cost", "cache_write_cost", "cache_write_1h_cost",
        "output_cost", "cost",
    ];

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("hour", "timestamptz").AsPrimaryKey();
        foreach (var dimension in Dimensions) table.AddColumn(dimension, "text").AsPrimaryKey();
        foreach (var measure in Measures)
            table.AddColumn(measure, measure.EndsWith("cost") ? "numeric" : "bigint").NotNull().DefaultValueByExpression("0");
        // A budget's spend: its user's or team's hours (a new row adds to these; an update of its sums leaves them alone).
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_user_hour") { Columns = ["user_id", "hour"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_team_hour") { Columns = ["team", "hour"] });
        // Each transaction of charges adds to the current hour's rows: room on their page lets PostgreSQL update them in
        // place (HOT) instead of adding a key to the index for every new version (docs/decisions.md).
        table.StorageParameters[StorageParameterNames.FillFactor] = 50;
        return table;
    }

    /// <summary>
    /// Brings a database from an earlier release up to date before Accounting starts: a table from before price_version
    /// became a key column is dropped (with the daily views, which Accounting creates again) and made again from all
    /// the charge events; a table the async daemon used to project is caught up with the events it had not reached.
    /// Both happen in one transaction, before any message is consumed, so every event counts exactly once.
    /// </summary>
    public static async Task UpgradeAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        const string asyncProjection = "HourlySpendProjection:All";
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var exists = await ScalarAsync<bool>($"select to_regclass('{schema}.{Name}') is not null");
        var keyed = exists && await ScalarAsync<bool>(
            $"select exists (select 1 from information_schema.columns where table_schema = '{schema}' and table_name = '{Name}' and column_name = 'price_version')");
        var projectedUpTo = await ScalarAsync<bool>($"select to_regclass('{schema}.mt_event_progression') is not null")
            // Locked: a second instance starting at the same time waits, then finds the row gone and projects nothing.
            ? await ScalarAsync<long?>($"select last_seq_id from {schema}.mt_event_progression where name = '{asyncProjection}' for update")
            : null;
        long after;
        if (exists && !keyed) after = 0;
        else if (projectedUpTo is { } sequence) after = exists ? sequence : 0;
        else return;

        if (exists && !keyed) await ExecuteAsync($"drop table {schema}.{Name} cascade");
        if (!exists || !keyed)
        {
            // A table that stays keeps its indexes; Weasel adds any it lacks once the upgrade is done.
            var create = new StringWriter();
            Create(schema).WriteCreateStatement(new PostgresqlMigrator { TableCreation = CreationStyle.CreateIfNotExists }, create);
            await ExecuteAsync(create.ToString());
        }
        await ProjectAsync(after);
        await ExecuteAsync($"delete from {schema}.mt_event_progression where name = '{asyncProjection}'");
        await transaction.CommitAsync(ct);

        async Task ProjectAsync(long afterSequence)
        {
            // Summed while reading, one event at a time: a large history never sits in memory whole, only its rows.
            List<(HourlySpendKey Key, HourlySpendDelta Delta)> rows;
            await using (var read = new NpgsqlCommand(
                             $"select type, data, bdata from {schema}.mt_events where seq_id > @after " +
                             "and type in ('usage_charged_batch', 'usage_repriced_batch') order by seq_id", connection, transaction))
            {
                read.Parameters.AddWithValue("after", afterSequence);
                await using var reader = await read.ExecuteReaderAsync(ct);
                rows = HourlySpendProjection.Deltas(Events(reader)).ToList();
            }
            var upsert = Numbered(HourlySpendProjection.UpsertSql(schema));
            foreach (var page in rows.Chunk(1000))
            {
                await using var command = new NpgsqlCommand(upsert, connection, transaction);
                foreach (var value in HourlySpendProjection.UpsertParameters(page)) command.Parameters.Add(new NpgsqlParameter { Value = value });
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        // Written as JSON by earlier releases, as MessagePack (bdata) since batch events became binary.
        static IEnumerable<object> Events(NpgsqlDataReader reader)
        {
            while (reader.Read())
            {
                var type = reader.GetString(0) == "usage_charged_batch" ? typeof(UsageChargedBatch) : typeof(UsageRepricedBatch);
                yield return reader.IsDBNull(2)
                    ? JsonSerializer.Deserialize(reader.GetString(1), type)!
                    : BinaryEvents.Serializer.Deserialize(type, reader.GetFieldValue<byte[]>(2));
            }
        }

        async Task<T> ScalarAsync<T>(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return (T)(await command.ExecuteScalarAsync(ct) is { } value and not DBNull ? value : default(T)!);
        }

        async Task ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Marten's <c>?</c> placeholders as Npgsql's positional <c>$1, $2, …</c>.</summary>
    private static string Numbered(string sql)
    {
        var n = 0;
        return System.Text.RegularExpressions.Regex.Replace(sql, @"\?", _ => "$" + ++n);
    }
}
