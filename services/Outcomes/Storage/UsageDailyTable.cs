using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Outcomes.Storage;

/// <summary>
/// <c>usage_daily</c>: <c>usage_facts</c> summed per UTC day, person, team, repo and the PR (and rule) the usage is
/// attributed to, kept by PostgreSQL (<see cref="DailyRollup"/>). Efficiency, the value board and PR costs read it
/// instead of every fact of their range.
/// </summary>
public static class UsageDailyTable
{
    public const string Name = "usage_daily";

    public static DailyRollup Rollup(string schema) =>
        new(
            schema,
            OutcomeTables.UsageFacts,
            Name,
            [
                ("day", "(occurred_at at time zone 'UTC')::date"),
                ("user_id", "user_id"),
                ("team", "coalesce(team, '')"),
                ("repo", "coalesce(repo, '')"),
                ("attributed_pr", "coalesce(attributed_pr, '')"),
                ("rule", "coalesce(rule, '')"),
            ],
            [("cost", "cost"), ("usages", "1")]
        );

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn("day", "date").AsPrimaryKey();
        foreach (var (column, _) in Rollup(schema).Keys.Skip(1))
            table.AddColumn(column, "text").AsPrimaryKey();
        table.AddColumn("cost", "numeric").NotNull();
        table.AddColumn("usages", "bigint").NotNull();
        table.Indexes.Add(
            new IndexDefinition($"ix_{Name}_pr") { Columns = ["attributed_pr"], Predicate = "attributed_pr <> ''" }
        );
        return table;
    }
}
