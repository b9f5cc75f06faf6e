using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>
/// Projects charges into <c>spend_hourly</c> with additive upserts. The async daemon commits these writes and its
/// progress in one transaction, so each event is added exactly once; re-pricing moves a charge from its old price
/// version's row to its new one.
/// </summary>
public sealed class HourlySpendProjection(string schema) : IProjection
{
    private readonly string _upsert = BuildUpsert(schema);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = new Dictionary<HourlySpendKey, HourlySpendDelta>();
        HourlySpendDelta Row(HourlySpendKey key)
        {
            if (!rows.TryGetValue(key, out var delta)) rows[key] = delta = new HourlySpendDelta();
            return delta;
        }
        foreach (var data in events.Select(e => e.Data))
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
        foreach (var (key, delta) in rows)
            operations.QueueSqlCommand(_upsert, [.. key.Values(), .. delta.MeasureValues()]);
        return Task.CompletedTask;
    }

    private static string BuildUpsert(string schema)
    {
        var columns = new[] { "hour" }.Concat(HourlySpendTable.Dimensions).Concat(HourlySpendTable.Measures).ToList();
        var keys = string.Join(", ", new[] { "hour" }.Concat(HourlySpendTable.Dimensions));
        var additions = string.Join(", ", HourlySpendTable.Measures.Select(m => $"{m} = t.{m} + excluded.{m}"));
        return $"insert into {schema}.{HourlySpendTable.Name} as t ({string.Join(", ", columns)}) " +
               $"values ({string.Join(", ", columns.Select(_ => "?"))}) on conflict ({keys}) do update set {additions}";
    }
}
