using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Accounting.Spend.SpendLedger;

/// <summary>
/// <c>spend_daily</c>: <c>spend_hourly</c> summed per UTC day (<c>day</c>, the day's first instant) with the same
/// dimensions and measures, kept by PostgreSQL in the statement that changes <c>spend_hourly</c>
/// (<see cref="RollupTable"/>). Spend and adoption questions in whole UTC days read it: a month is 30 rows per
/// combination instead of 720.
/// </summary>
public static class DailySpendTable
{
    public const string Name = "spend_daily";

    public static RollupTable Rollup(string schema) =>
        new(
            schema,
            HourlySpendTable.Name,
            Name,
            [("day", "date_trunc('day', hour, 'UTC')"), .. HourlySpendTable.Dimensions.Select(d => (d, d))],
            HourlySpendTable.Measures.Select(m => (m, m)).ToList()
        );

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("day", "timestamptz").AsPrimaryKey();
        foreach (var dimension in HourlySpendTable.Dimensions)
            table.AddColumn(dimension, "text").AsPrimaryKey();
        foreach (var measure in HourlySpendTable.Measures)
            table.AddColumn(measure, measure.EndsWith("cost") ? "numeric" : "bigint").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_user_day") { Columns = ["user_id", "day"] });
        table.Indexes.Add(new IndexDefinition($"ix_{Name}_team_day") { Columns = ["team", "day"] });
        // Every transaction of charges adds to the day's rows, as to spend_hourly's: half of each page free lets
        // PostgreSQL update them in place (HOT) instead of adding three index keys and a dead row per version.
        table.StorageParameters[StorageParameterNames.FillFactor] = 50;
        return table;
    }
}
