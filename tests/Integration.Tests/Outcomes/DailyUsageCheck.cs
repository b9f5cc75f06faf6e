using Npgsql;

namespace Tokenwise.Integration.Tests.Outcomes;

/// <summary>
/// Outcomes' daily table against its facts, summed here independently of the triggers that keep it: how many
/// (day, person, team, repo, PR, rule) rows differ in cost or count, or are left at zero.
/// </summary>
public static class DailyUsageCheck
{
    public static async Task<long> MismatchesAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            with facts as (
              select (occurred_at at time zone 'UTC')::date as day, user_id, coalesce(team, '') as team,
                     coalesce(repo, '') as repo, coalesce(attributed_pr, '') as attributed_pr,
                     coalesce(rule, '') as rule, sum(cost) as cost, count(*) as usages
              from {schema}.usage_facts
              group by 1, 2, 3, 4, 5, 6
            ),
            daily as (
              select day, user_id, team, repo, attributed_pr, rule, cost, usages
              from {schema}.usage_daily
            )
            select count(*)
            from facts full join daily using (day, user_id, team, repo, attributed_pr, rule)
            where facts.cost is distinct from daily.cost or facts.usages is distinct from daily.usages
            """,
            connection
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
