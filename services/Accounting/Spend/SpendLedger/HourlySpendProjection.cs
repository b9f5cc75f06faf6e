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
    private readonly string _upsert = UpsertSql(schema);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var (key, delta) in Deltas(events.Select(e => e.Data)))
            operations.QueueSqlCommand(_upsert, [.. key.Values(), .. delta.MeasureValues()]);
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
            if (!rows.TryGetValue(key, out var delta)) rows[key] = delta = new HourlySpendDelta();
            return delta;
        }
        foreach (var data in events)
        {
            if (data is UsageChargedBatch charged)
                foreach (var charge in charged.Items) Row(HourlySpendKey.Of(charge)).Add(charge);
            else if (data is UsageRepricedBatch repriced)
                foreach (var item in repriced.Items)
                {
                    Row(HourlySpendKey.Of(item.Charge, item.PreviousPriceVersion ?? "")).Remove(item);
                    Row(HourlySpendKey.Of(item.Charge)).Add(item.Charge);
                }
        }
        return rows.OrderBy(r => r.Key, HourlySpendKey.Order).Select(r => (r.Key, r.Value));
    }

    /// <summary>The additive upsert of one row, with <c>?</c> placeholders: key values, then measures.</summary>
    public static string UpsertSql(string schema)
    {
        var columns = new[] { "hour" }.Concat(HourlySpendTable.Dimensions).Concat(HourlySpendTable.Measures).ToList();
        var keys = string.Join(", ", new[] { "hour" }.Concat(HourlySpendTable.Dimensions));
        var additions = string.Join(", ", HourlySpendTable.Measures.Select(m => $"{m} = t.{m} + excluded.{m}"));
        return $"insert into {schema}.{HourlySpendTable.Name} as t ({string.Join(", ", columns)}) " +
               $"values ({string.Join(", ", columns.Select(_ => "?"))}) on conflict ({keys}) do update set {additions}";
    }
}
