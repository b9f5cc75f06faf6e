using Npgsql;

namespace Tokenwise.Integration.Tests.Outcomes;

/// <summary>
/// Outcomes' daily tables against their facts, summed here independently of the triggers that keep them: how many
/// rows differ in cost or count, or are left at zero, in <c>usage_daily</c> (day, person, team, repo, PR, rule) and
/// in <c>usage_daily_by_person</c> (day, person, team, repo, attributed or not).
/// </summary>
public static class DailyUsageCheck
{
    public static async Task<long> MismatchesAsync(string connectionString, string schema) =>
        await MismatchesAsync(
            connectionString,
            schema,
            "usage_daily",
            "coalesce(attributed_pr, '') as attributed_pr, coalesce(rule, '') as rule",
            "attributed_pr, rule"
        )
        + await MismatchesAsync(
            connectionString,
            schema,
            "usage_daily_by_person",
            "attributed_pr is not null as attributed",
            "attributed"
        );

    private static async Task<long> MismatchesAsync(
        string connectionString,
        string schema,
        string table,
        string attributionFromFacts,
        string attributionColumns
    )
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            with facts as (
              select day, user_id, team, repo, {attributionColumns}, sum(cost) as cost, count(*) as usages
              from (
                select (occurred_at at time zone 'UTC')::date as day, user_id, coalesce(team, '') as team,
                       coalesce(repo, '') as repo, {attributionFromFacts}, cost
                from {schema}.usage_facts
              ) as fact
              group by day, user_id, team, repo, {attributionColumns}
            ),
            daily as (
              select day, user_id, team, repo, {attributionColumns}, cost, usages
              from {schema}.{table}
            )
            select count(*)
            from facts full join daily using (day, user_id, team, repo, {attributionColumns})
            where facts.cost is distinct from daily.cost or facts.usages is distinct from daily.usages
            """,
            connection
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
