using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>
/// Projects charges into <c>spend_hourly</c> with additive upserts, inline: in the transaction that appends the charges
/// (or their re-pricing), so spend is current the moment they commit and each event is added exactly once. Re-pricing
/// moves a charge from its old price version's row to its new one.
/// </summary>
public sealed class HourlySpendProjection(string schema) : IProjection
{
    private readonly IReadOnlyList<(string Sql, bool Rows)> _statements = WriteSql(schema);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = Deltas(events.Select(e => e.Data)).ToList();
        if (rows.Count == 0)
            return Task.CompletedTask;
        // One upsert for all the rows (a charged batch touches about a hundred), in key order, then spend_daily's.
        var parameters = UpsertParameters(rows);
        foreach (var (sql, takesRows) in _statements)
            operations.QueueSqlCommand(sql, takesRows ? parameters : []);
        return Task.CompletedTask;
    }

    /// <summary>
    /// What charge and re-pricing events add to each row, in key order: concurrent transactions update shared rows in
    /// the same order, so they wait for each other rather than deadlock.
    /// </summary>
    public static IEnumerable<(HourlySpendKey Key, HourlySpendDelta Delta)> Deltas(IEnumerable<object> events)
    {
        var rows = new Dictionary<HourlySpendKey, HourlySpendDelta>();
        HourlySpendDelta Row(HourlySpendKey key)
        {
            if (!rows.TryGetValue(key, out var delta))
                rows[key] = delta = new HourlySpendDelta();
            return delta;
        }
        foreach (var data in events)
        {
            if (data is UsageChargedBatch charged)
                foreach (var charge in charged.Items)
                    Row(HourlySpendKey.Of(charge)).Add(charge);
            else if (data is UsageRepricedBatch repriced)
                foreach (var item in repriced.Items)
                {
                    Row(HourlySpendKey.Of(item.Charge, item.PreviousPriceVersion ?? "")).Remove(item);
                    Row(HourlySpendKey.Of(item.Charge)).Add(item.Charge);
                }
        }
        return rows.OrderBy(r => r.Key, HourlySpendKey.Order).Select(r => (r.Key, r.Value));
    }

    private sealed record Column(string Name, string Type)
    {
        public object Array(IEnumerable<object> values) =>
            Type switch
            {
                "timestamptz" => values.Select(v => ((DateTimeOffset)v).ToUniversalTime()).ToArray(),
                "text" => values.Cast<string>().ToArray(),
                "bigint" => values.Select(Convert.ToInt64).ToArray(),
                _ => values.Cast<decimal>().ToArray(),
            };
    }

    private static readonly Column[] Columns =
    [
        new("hour", "timestamptz"),
        .. HourlySpendTable.Dimensions.Select(d => new Column(d, "text")),
        .. HourlySpendTable.Measures.Select(m => new Column(m, m.EndsWith("cost") ? "numeric" : "bigint")),
    ];

    /// <summary>The columns of <see cref="UpsertSql"/> in order, each one array parameter: keys, then measures.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Select(c => c.Name).ToArray();

    /// <summary>
    /// The additive upsert of many rows, one array parameter per column: Marten's positional <c>?</c> inside its
    /// transaction, or <c>@column</c> when run as a command of our own.
    /// </summary>
    public static string UpsertSql(string schema, bool named = false)
    {
        var names = string.Join(", ", Columns.Select(c => c.Name));
        var keys = string.Join(", ", new[] { "hour" }.Concat(HourlySpendTable.Dimensions));
        var additions = string.Join(", ", HourlySpendTable.Measures.Select(m => $"{m} = t.{m} + excluded.{m}"));
        return $"""
            insert into {schema}.{HourlySpendTable.Name} as t ({names})
            select *
            from unnest({Arrays(named)})
            on conflict ({keys}) do update
            set {additions}
            """;
    }

    /// <summary>
    /// Every statement a transaction runs to add rows to <c>spend_hourly</c> and <c>spend_daily</c>, in order, and
    /// whether it takes <see cref="UpsertParameters"/>: the upsert, with the daily rows added by this writer in one
    /// statement after it rather than by the table's triggers (<see cref="RollupTable.KeptByWriterSql"/>: an upsert fires
    /// two triggers, and two charge transactions deadlocked in them).
    /// </summary>
    public static IReadOnlyList<(string Sql, bool Rows)> WriteSql(string schema, bool named = false)
    {
        var rows = $"select * from unnest({Arrays(named)}) as rows({string.Join(", ", Columns.Select(c => c.Name))})";
        var (before, apply, after) = DailySpendTable.Rollup(schema).KeptByWriterSql(rows);
        return [(before, false), (UpsertSql(schema, named), true), .. apply.Select(sql => (sql, true)), (after, false)];
    }

    /// <summary>One typed array parameter per column, in <see cref="ColumnNames"/> order.</summary>
    private static string Arrays(bool named) =>
        string.Join(", ", Columns.Select(c => $"{(named ? "@" + c.Name : "?")}::{c.Type}[]"));

    /// <summary>The parameters of <see cref="UpsertSql"/> for these rows.</summary>
    public static object[] UpsertParameters(IReadOnlyList<(HourlySpendKey Key, HourlySpendDelta Delta)> rows)
    {
        var values = rows.Select(r => r.Key.Values().Concat(r.Delta.MeasureValues()).ToArray()).ToList();
        return Columns.Select((column, i) => column.Array(values.Select(v => v[i]))).ToArray();
    }
}
