using Npgsql;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// A table of sums over coarser keys (a UTC day, an hour: <see cref="Target"/>) that PostgreSQL keeps from a finer
/// table (<see cref="Source"/>) in the statement that changes it: statement triggers over the changed rows add what was
/// inserted and subtract what was removed, so every writer (our commands, Marten's queued SQL, a rebuild's truncate and
/// replay, a prune) keeps it exact without knowing it exists. Readers of whole days or hours read it instead of every
/// row of their range.
/// </summary>
/// <param name="Keys">The target's key columns, each with the expression computing it from a source row (never null).</param>
/// <param name="Measures">The summed columns, each with the expression it sums from a source row.</param>
public sealed record RollupTable(
    string Schema,
    string Source,
    string Target,
    IReadOnlyList<(string Column, string FromSource)> Keys,
    IReadOnlyList<(string Column, string FromSource)> Measures
)
{
    private string KeyList => string.Join(", ", Keys.Select(k => k.Column));

    /// <summary>Each changed source row as a signed target row: added (+) or removed (−).</summary>
    private string Signed(string rows, bool removed) =>
        $"""
            select {string.Join(", ", Keys.Select(k => $"{k.FromSource} as {k.Column}"))},
                   {string.Join(", ", Measures.Select(m => $"{(removed ? "-" : "")}({m.FromSource}) as {m.Column}"))}
            from {rows}
            """;

    /// <summary>
    /// Adds the signed rows to the target, grouped, in key order: concurrent writers lock shared rows in the same order,
    /// so they wait for each other rather than deadlock.
    /// </summary>
    private string AddSql(string signedRows)
    {
        var measures = Measures.Select(m => m.Column).ToList();
        return $"""
            insert into {Schema}.{Target} as t ({KeyList}, {string.Join(", ", measures)})
            select {KeyList}, {string.Join(", ", measures.Select(m => $"sum({m})"))}
            from ({signedRows}) as changed
            group by {KeyList}
            having {string.Join(" or ", measures.Select(m => $"sum({m}) <> 0"))}
            order by {KeyList}
            on conflict ({KeyList}) do update
            set {string.Join(", ", measures.Select(m => $"{m} = t.{m} + excluded.{m}"))}
            """;
    }

    /// <summary>
    /// Removes the rows a decrease left at zero in every measure, as a source row that was deleted or moved leaves no
    /// row behind: a reader of the target sees the groups a reader of the source would. Only keys that decreased are
    /// looked at, so adding (every charge) costs nothing here.
    /// </summary>
    private string RemoveEmptiedSql(string signedRows)
    {
        var measures = Measures.Select(m => m.Column).ToList();
        return $"""
            delete from {Schema}.{Target} as t
            using (
              select {KeyList}
              from ({signedRows}) as changed
              group by {KeyList}
              having {string.Join(" or ", measures.Select(m => $"sum({m}) < 0"))}
            ) as decreased
            where {string.Join(" and ", Keys.Select(k => $"t.{k.Column} = decreased.{k.Column}"))}
              and {string.Join(" and ", measures.Select(m => $"t.{m} = 0"))}
            """;
    }

    /// <summary>
    /// The setting (transaction-local, <c>set_config(…, true)</c>) by which a writer says it keeps the target itself for
    /// the statements it runs while the setting names the target (<see cref="KeptByWriterSql"/>): the triggers then
    /// leave those statements alone.
    /// </summary>
    public const string KeptByWriterSetting = "tokenwise.rollup_kept_by_writer";

    private string Function(string name, string body) =>
        $"""
            create or replace function {Schema}.{name}() returns trigger language plpgsql as $body$
            begin
              if current_setting('{KeptByWriterSetting}', true) = '{Schema}.{Target}' then
                return null;
              end if;
              {body};
              return null;
            end
            $body$
            """;

    /// <summary>
    /// For a writer that upserts the source (some rows inserted, some updated): PostgreSQL would fire two triggers, one
    /// after the other, each taking target rows in key order, so two such writers could each hold a target row the
    /// other's second trigger needs, and deadlock. Such a writer runs, in its transaction: <c>Before</c> (the triggers
    /// stand aside), its own source statement(s), <c>Apply</c> (the same change, read from
    /// <paramref name="changedRows"/>, added to the target in one statement in key order, and the rows it emptied
    /// removed), and <c>After</c> (the triggers back).
    /// </summary>
    /// <param name="changedRows">A query over the change as source rows: its key columns and signed measures.</param>
    public (string Before, IReadOnlyList<string> Apply, string After) KeptByWriterSql(string changedRows) =>
        (
            $"select set_config('{KeptByWriterSetting}', '{Schema}.{Target}', true)",
            [
                AddSql(Signed($"({changedRows}) as changed_rows", removed: false)),
                RemoveEmptiedSql(Signed($"({changedRows}) as changed_rows", removed: false)),
            ],
            $"select set_config('{KeptByWriterSetting}', '', true)"
        );

    private static readonly (string When, string Function, string Referencing)[] Triggers =
    [
        ("insert", "inserted", "referencing new table as added"),
        ("update", "updated", "referencing old table as removed new table as added"),
        ("delete", "deleted", "referencing old table as removed"),
        ("truncate", "truncated", ""),
    ];

    private string Changed => $"{Signed("added", removed: false)} union all {Signed("removed", removed: true)}";

    private string AddAndRemoveEmptied(string signedRows) => $"{AddSql(signedRows)};\n{RemoveEmptiedSql(signedRows)}";

    /// <summary>The functions and statement triggers that keep the target (PostgreSQL 14 or later).</summary>
    public IReadOnlyList<string> TriggerSql() =>
        [
            Function($"{Target}_inserted", AddSql(Signed("added", removed: false))),
            Function($"{Target}_updated", AddAndRemoveEmptied(Changed)),
            Function($"{Target}_deleted", AddAndRemoveEmptied(Signed("removed", removed: true))),
            Function($"{Target}_truncated", $"truncate {Schema}.{Target}"),
            // One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
            .. Triggers.Select(t =>
                $"""
                    create or replace trigger {Target}_on_{t.When} after {t.When} on {Schema}.{Source}
                    {t.Referencing} for each statement execute function {Schema}.{Target}_{t.Function}()
                    """
            ),
        ];

    /// <summary>
    /// Installs the triggers, and fills the target from the source when it is behind (triggers new, or the target
    /// re-created empty): under a lock that holds writers back, so each source row is counted by the fill or by a
    /// trigger, never both, never neither.
    /// </summary>
    public async Task InstallAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        async Task<object?> Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return await command.ExecuteScalarAsync(ct);
        }
        await Run($"lock table {Schema}.{Source} in share row exclusive mode");
        var behind = (bool)
            (
                await Run(
                    $"""
                    select not exists (
                             select 1 from pg_trigger
                             where tgrelid = '{Schema}.{Source}'::regclass and tgname = '{Target}_on_insert')
                        or (exists (select 1 from {Schema}.{Source}) and not exists (select 1 from {Schema}.{Target}))
                    """
                )
            )!;
        foreach (var sql in TriggerSql())
            await Run(sql);
        if (behind)
        {
            await Run($"delete from {Schema}.{Target}");
            await Run(AddSql(Signed($"{Schema}.{Source}", removed: false)));
        }
        await transaction.CommitAsync(ct);
    }
}
