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
    public static readonly string[] Dimensions =
    [
        "user_id",
        "team",
        "provider",
        "model",
        "tool",
        "repo",
        "price_version",
    ];
    public static readonly string[] Measures =
    [
        "requests",
        "unpriced_requests",
        "input_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "cache_write_1h_tokens",
        "output_tokens",
        "reasoning_tokens",
        "input_cost",
        "cache_read_cost",
        "cache_write_cost",
        "cache_write_1h_cost",
        "output_cost",
        "cost",
    ];

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("hour", "timestamptz").AsPrimaryKey();
        foreach (var dimension in Dimensions)
            table.AddColumn(dimension, "text").AsPrimaryKey();
        foreach (var measure in Measures)
            table
                .AddColumn(measure, measure.EndsWith("cost") ? "numeric" : "bigint")
                .NotNull()
                .DefaultValueByExpression("0");
        // A budget's spend: its user's or team's hours (a new row adds to these; an update of its sums leaves them alone).
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_user_hour") { Columns = ["user_id", "hour"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_team_hour") { Columns = ["team", "hour"] });
        // Each transaction of charges adds to the current hour's rows: room on their page lets PostgreSQL update them in
        // place (HOT) instead of adding a key to the index for every new version (docs/decisions.md).
        table.StorageParameters[StorageParameterNames.FillFactor] = 50;
        return table;
    }
}
