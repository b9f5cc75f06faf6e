using Npgsql;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Outcomes.Storage;

/// <summary>
/// <c>usage_daily</c>: <c>usage_facts</c> summed per UTC day, person, team, repo and the PR (and rule) the usage is
/// attributed to. Efficiency, the value board and PR costs read it instead of every fact of their range. PostgreSQL
/// keeps it in the statement that changes the facts (triggers over the statement's changed rows), so every writer,
/// the attribution daemon's queued SQL and the rebuild included, keeps it exact without knowing it exists.
/// </summary>
public static class UsageDailyTable
{
    public const string Name = "usage_daily";

    /// <summary>The key columns and how each is computed from a <c>usage_facts</c> row; none is null ('' for none).</summary>
    public static readonly IReadOnlyList<(string Column, string FromFact)> Keys =
    [
        ("day", "(occurred_at at time zone 'UTC')::date"),
        ("user_id", "user_id"),
        ("team", "coalesce(team, '')"),
        ("repo", "coalesce(repo, '')"),
        ("attributed_pr", "coalesce(attributed_pr, '')"),
        ("rule", "coalesce(rule, '')"),
    ];

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("day", "date").AsPrimaryKey();
        foreach (var (column, _) in Keys.Skip(1))
            table.AddColumn(column, "text").AsPrimaryKey();
        table.AddColumn("cost", "numeric").NotNull();
        // How many facts the row sums: a row whose usage was all re-attributed elsewhere stays, at zero.
        table.AddColumn("usages", "bigint").NotNull();
        table.Indexes.Add(
            new IndexDefinition($"ix_{Name}_pr") { Columns = ["attributed_pr"], Predicate = "attributed_pr <> ''" }
        );
        return table;
    }

    private static string KeyList => string.Join(", ", Keys.Select(k => k.Column));

    /// <summary>Each changed fact as a signed row of the daily table: +1 and its cost when added, −1 when removed.</summary>
    private static string Signed(string transitionTable, int sign) =>
        $"""
            select {string.Join(", ", Keys.Select(k => $"{k.FromFact} as {k.Column}"))},
                   {(sign < 0 ? "-" : "")}cost as cost, {sign} as usages
            from {transitionTable}
            """;

    /// <summary>
    /// Adds the signed rows to the daily table, grouped, in key order: concurrent writers lock shared rows in the same
    /// order, so they wait for each other rather than deadlock.
    /// </summary>
    private static string AddSql(string schema, string signedRows) =>
        $"""
            insert into {schema}.{Name} as d ({KeyList}, cost, usages)
            select {KeyList}, sum(cost), sum(usages)
            from ({signedRows}) as changed
            group by {KeyList}
            having sum(cost) <> 0 or sum(usages) <> 0
            order by {KeyList}
            on conflict ({KeyList}) do update
            set cost = d.cost + excluded.cost, usages = d.usages + excluded.usages
            """;

    private static string Function(string schema, string name, string body) =>
        $"""
            create or replace function {schema}.{name}() returns trigger language plpgsql as $body$
            begin
              {body};
              return null;
            end
            $body$
            """;

    private static string Trigger(string schema, string name, string when, string? referencing, string function) =>
        $"""
            create or replace trigger {name} after {when} on {schema}.{OutcomeTables.UsageFacts}
            {referencing} for each statement execute function {schema}.{function}()
            """;

    /// <summary>The functions and statement triggers that keep the daily table (PostgreSQL 14 or later).</summary>
    public static IReadOnlyList<string> TriggerSql(string schema) =>
        [
            Function(schema, "usage_daily_inserted", AddSql(schema, Signed("added", 1))),
            Function(
                schema,
                "usage_daily_updated",
                AddSql(schema, $"{Signed("added", 1)} union all {Signed("removed", -1)}")
            ),
            Function(schema, "usage_daily_deleted", AddSql(schema, Signed("removed", -1))),
            Function(schema, "usage_daily_truncated", $"truncate {schema}.{Name}"),
            // One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
            Trigger(
                schema,
                "usage_daily_on_insert",
                "insert",
                "referencing new table as added",
                "usage_daily_inserted"
            ),
            Trigger(
                schema,
                "usage_daily_on_update",
                "update",
                "referencing old table as removed new table as added",
                "usage_daily_updated"
            ),
            Trigger(
                schema,
                "usage_daily_on_delete",
                "delete",
                "referencing old table as removed",
                "usage_daily_deleted"
            ),
            Trigger(schema, "usage_daily_on_truncate", "truncate", null, "usage_daily_truncated"),
        ];

    /// <summary>
    /// Installs the triggers, and fills the daily table from the facts when it is behind them (triggers new, or the
    /// table re-created): under a lock that holds writers back, so each fact is counted by the fill or by a trigger,
    /// never both, never neither.
    /// </summary>
    public static async Task InstallAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        async Task<object?> Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return await command.ExecuteScalarAsync(ct);
        }
        await Run($"lock table {schema}.{OutcomeTables.UsageFacts} in share row exclusive mode");
        var behind = (bool)
            (
                await Run(
                    $"""
                    select not exists (
                             select 1 from pg_trigger
                             where tgrelid = '{schema}.{OutcomeTables.UsageFacts}'::regclass
                               and tgname = 'usage_daily_on_insert')
                        or (exists (select 1 from {schema}.{OutcomeTables.UsageFacts})
                            and not exists (select 1 from {schema}.{Name}))
                    """
                )
            )!;
        foreach (var sql in TriggerSql(schema))
            await Run(sql);
        if (behind)
        {
            await Run($"delete from {schema}.{Name}");
            await Run(AddSql(schema, Signed($"{schema}.{OutcomeTables.UsageFacts}", 1)));
        }
        await transaction.CommitAsync(ct);
    }
}
