using Npgsql;
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
        return table;
    }

    /// <summary>
    /// A database from before price_version became a key column: the table is dropped (with the daily views, which
    /// Accounting creates again at start) and its projection reset, so the daemon projects it again from the events.
    /// </summary>
    public static async Task UpgradeAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            do $$ begin
              if exists (select 1 from information_schema.tables where table_schema = '{schema}' and table_name = '{Name}')
                 and not exists (select 1 from information_schema.columns where table_schema = '{schema}' and table_name = '{Name}'
                                 and column_name = 'price_version') then
                drop table {schema}.{Name} cascade;
                delete from {schema}.mt_event_progression where name = '{nameof(HourlySpendProjection)}:All';
              end if;
            end $$
            """, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
