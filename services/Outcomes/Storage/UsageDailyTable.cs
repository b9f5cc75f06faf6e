using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Outcomes.Storage;

/// <summary>
/// <c>usage_facts</c> summed per UTC day, kept by PostgreSQL (<see cref="RollupTable"/>), in two tables:
/// <c>usage_daily</c> per person, team, repo and the PR (and rule) the usage is attributed to, which PR costs read;
/// <c>usage_daily_by_person</c> per person, team, repo and whether it is attributed at all, which spend per person reads
/// (in <c>usage_daily</c> a person's day is split over every PR it went to: at three million events a month's spend
/// read there took 152 ms on average, 384 ms at most).
/// </summary>
public static class UsageDailyTable
{
    public const string Name = "usage_daily";
    public const string ByPersonName = "usage_daily_by_person";

    private static readonly (string Column, string FromSource)[] PersonKeys =
    [
        ("day", "(occurred_at at time zone 'UTC')::date"),
        ("user_id", "user_id"),
        ("team", "coalesce(team, '')"),
        ("repo", "coalesce(repo, '')"),
    ];

    private static readonly (string Column, string FromSource)[] Measures = [("cost", "cost"), ("usages", "1")];

    public static RollupTable Rollup(string schema) =>
        new(
            schema,
            OutcomeTables.UsageFacts,
            Name,
            [.. PersonKeys, ("attributed_pr", "coalesce(attributed_pr, '')"), ("rule", "coalesce(rule, '')")],
            Measures
        );

    public static RollupTable ByPersonRollup(string schema) =>
        new(
            schema,
            OutcomeTables.UsageFacts,
            ByPersonName,
            [.. PersonKeys, ("attributed", "attributed_pr is not null")],
            Measures
        );

    public static Table Create(string schema)
    {
        var table = TableOf(Rollup(schema));
        table.Indexes.Add(
            new IndexDefinition($"ix_{Name}_pr") { Columns = ["attributed_pr"], Predicate = "attributed_pr <> ''" }
        );
        return table;
    }

    public static Table CreateByPerson(string schema) => TableOf(ByPersonRollup(schema));

    private static Table TableOf(RollupTable rollup)
    {
        var table = new Table($"{rollup.Schema}.{rollup.Target}");
        foreach (var (column, _) in rollup.Keys)
            table
                .AddColumn(
                    column,
                    column switch
                    {
                        "day" => "date",
                        "attributed" => "boolean",
                        _ => "text",
                    }
                )
                .AsPrimaryKey();
        table.AddColumn("cost", "numeric").NotNull();
        table.AddColumn("usages", "bigint").NotNull();
        // Every batch of facts adds to the day's rows: room on their page lets PostgreSQL update them in place (HOT).
        table.StorageParameters[StorageParameterNames.FillFactor] = 50;
        return table;
    }
}
