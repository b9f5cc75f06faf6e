using Weasel.Postgresql.Tables;

namespace Tokenwise.Accounting.Ledger;

/// <summary>
/// <c>charges</c>: one row per charged usage, written in the transaction that commits its UsageChargedBatch and
/// updated in the transaction that commits its UsageRepricedBatch, so it always equals the events. Budgets,
/// re-pricing and reconciliation read it; data teams may too (docs/sql.md).
/// </summary>
public static class ChargeLedgerTable
{
    public const string Name = "charges";

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("usage_key").AsPrimaryKey();
        table.AddColumn("occurred_at", "timestamptz").NotNull();
        foreach (
            var text in new[] { "user_id", "team", "provider", "model", "model_key", "tool", "repo", "session_id" }
        )
            table.AddColumn(text, "text").NotNull();
        foreach (
            var count in new[]
            {
                "input_tokens",
                "cache_read_tokens",
                "cache_write_tokens",
                "cache_write_1h_tokens",
                "output_tokens",
                "reasoning_tokens",
            }
        )
            table.AddColumn(count, "bigint").NotNull();
        foreach (
            var cost in new[]
            {
                "input_cost",
                "cache_read_cost",
                "cache_write_cost",
                "cache_write_1h_cost",
                "output_cost",
                "cost",
            }
        )
            table.AddColumn(cost, "numeric").NotNull();
        table.AddColumn("price_version", "text");
        table.AddColumn("reported_cost", "numeric");
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_model_time") { Columns = ["model_key", "occurred_at"] });
        // Budgets sum whole hours from spend_hourly (docs/decisions.md), so no per-user or per-team index here: each would be
        // one more entry for every usage. A time range (reconciliation, a budget period's part-hours) reads few blocks
        // of a block-range index, which costs next to nothing to keep, as charges arrive roughly in time order.
        table.Indexes.Add(
            new IndexDefinition($"ix_{Name}_time") { Columns = ["occurred_at"], Method = IndexMethod.brin }
        );
        return table;
    }
}
