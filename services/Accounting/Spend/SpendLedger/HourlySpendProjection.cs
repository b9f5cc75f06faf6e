using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Tokenwise.Contracts;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>
/// Projects charges into <c>spend_hourly</c> with additive upserts. The async daemon commits these writes and its
/// progress in one transaction, so each event is added exactly once; a rebuild truncates the table and replays.
/// </summary>
public sealed class HourlySpendProjection(string schema) : IProjection
{
    private readonly string _upsert = BuildUpsert(schema);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = new Dictionary<HourlySpendKey, HourlySpendDelta>();
        foreach (var charge in events.Select(e => e.Data).OfType<UsageChargedBatch>().SelectMany(b => b.Items))
        {
            var key = HourlySpendKey.Of(charge);
            if (!rows.TryGetValue(key, out var delta)) rows[key] = delta = new HourlySpendDelta();
            delta.Add(charge);
        }
        foreach (var (key, delta) in rows)
            operations.QueueSqlCommand(_upsert,
                [key.Hour, key.User, key.Team, key.Provider, key.Model, key.Tool, key.Repo, .. delta.MeasureValues()]);
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
