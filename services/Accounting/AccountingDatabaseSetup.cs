using Npgsql;
using Tokenwise.Accounting.Pricing;
using Tokenwise.Accounting.Spend.SpendLedger;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting;

/// <summary>
/// At start-up, after Marten has created the tables: the price-book version row, the triggers that keep
/// <c>spend_daily</c>, and the daily views data teams query (docs/sql.md). Views hold no data, so re-creating them is
/// safe on every start.
/// </summary>
public sealed class AccountingDatabaseSetup(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = settings.Schema;
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        string[] statements =
        [
            PriceBookVersionTable.Seed(schema),
            DailyView(schema, "daily_user_model_spend", "user_id"),
            DailyView(schema, "daily_team_model_spend", "team"),
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await DailySpendTable.Rollup(schema).InstallAsync(connection, cancellationToken);
    }

    /// <summary>Spend per UTC day, per user (or team), per provider and model.</summary>
    private static string DailyView(string schema, string name, string who) =>
        $"""
            create or replace view {schema}.{name} as
            select (hour at time zone 'UTC')::date as day, {who}, provider, model,
                   sum(requests) as requests, sum(unpriced_requests) as unpriced_requests,
                   sum(input_tokens) as input_tokens, sum(cache_read_tokens) as cache_read_tokens,
                   sum(cache_write_tokens) as cache_write_tokens, sum(cache_write_1h_tokens) as cache_write_1h_tokens,
                   sum(output_tokens) as output_tokens, sum(reasoning_tokens) as reasoning_tokens,
                   sum(cost) as cost_usd
            from {schema}.{HourlySpendTable.Name}
            group by 1, 2, 3, 4
            """;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
