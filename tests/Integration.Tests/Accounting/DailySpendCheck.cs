using Npgsql;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>
/// Accounting's daily spend table against its hourly one, summed here independently of the triggers that keep it:
/// how many (UTC day, dimensions) rows differ in any measure.
/// </summary>
public static class DailySpendCheck
{
    private const string Keys = "day, user_id, team, provider, model, tool, repo, price_version";

    public static async Task<long> MismatchesAsync(string connectionString, string schema)
    {
        string[] measures = ["requests", "unpriced_requests", "input_tokens", "output_tokens", "cost", "input_cost"];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            with hourly as (
              select date_trunc('day', hour at time zone 'UTC') at time zone 'UTC' as day,
                     user_id, team, provider, model, tool, repo, price_version,
                     {string.Join(", ", measures.Select(m => $"sum({m}) as {m}"))}
              from {schema}.spend_hourly
              group by 1, 2, 3, 4, 5, 6, 7, 8
            )
            select count(*)
            from hourly full join {schema}.spend_daily as daily using ({Keys})
            where {string.Join(" or ", measures.Select(m => $"coalesce(hourly.{m}, 0) <> coalesce(daily.{m}, 0)"))}
            """,
            connection
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
