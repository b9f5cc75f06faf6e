using Npgsql;
using Tokenwise.Client.Models;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>Its own system: it empties and rebuilds the spend table, which would disturb other tests' figures meanwhile.</summary>
public sealed class SpendRebuildTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    private static UsageEvent TwoDollars(string user) =>
        new()
        {
            // A million gpt-4.1 input tokens at $2 per MTok.
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            User = user,
            Model = "gpt-4.1",
            InputTokens = 1_000_000,
        };

    /// <summary>The whole spend table against the charge ledger, summed in one snapshot.</summary>
    private async Task<(decimal Spend, decimal Charges, long Requests, long Charged)> TotalsAsync()
    {
        var schema = system.Environment.Schema("accounting");
        await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
            select (select coalesce(sum(cost), 0) from {schema}.spend_hourly) as spend,
                   (select coalesce(sum(cost), 0) from {schema}.charges) as charges,
                   (select coalesce(sum(requests), 0) from {schema}.spend_hourly)::bigint as requests,
                   (select count(*) from {schema}.charges) as charged
            """,
            connection
        );
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetDecimal(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    [Fact]
    public async Task A_spend_table_that_lost_and_gained_rows_is_made_again_from_the_charge_events()
    {
        var user = "rebuilt-" + Guid.NewGuid().ToString("N")[..8];
        await system.PostAsync(TwoDollars(user));
        await system.SpendOf(user, f => f.CostUsd == 2m, "the charge");
        var before = await TotalsAsync();

        var schema = system.Environment.Schema("accounting");
        await using (var connection = new NpgsqlConnection(system.Environment.Servers.Postgres))
        {
            await connection.OpenAsync();
            await using var damage = new NpgsqlCommand(
                $"""
                delete from {schema}.spend_hourly where user_id = @user;
                update {schema}.spend_hourly set cost = cost + 100 where user_id <> @user;
                """,
                connection
            );
            damage.Parameters.AddWithValue("user", user);
            await damage.ExecuteNonQueryAsync();
        }
        Assert.Null(await system.SpendRowOf(user));

        var rebuilt = await system.Api.RebuildSpendAsync();

        Assert.True(rebuilt.IsSuccessStatusCode, rebuilt.Error?.Message);
        Assert.True(rebuilt.Content!.Events >= 1 && rebuilt.Content.Rows >= 1);
        var row = await system.SpendRowOf(user);
        Assert.Equal(2m, row!.Figures.CostUsd);
        Assert.Equal(["default:openai/gpt-4.1@2025-04-14"], row.PriceVersions);
        Assert.Equal(before, await TotalsAsync());
        // The daily table (what whole-day spend reads) followed the damage, the truncate and the replay.
        Assert.Equal(
            0,
            await DailySpendCheck.MismatchesAsync(
                system.Environment.Servers.Postgres,
                system.Environment.Schema("accounting")
            )
        );
    }

    [Fact]
    public async Task Charges_that_arrive_while_spend_is_rebuilt_count_once()
    {
        var user = "during-" + Guid.NewGuid().ToString("N")[..8];
        const int requests = 40;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < requests; i++)
                await system.PostAsync(TwoDollars(user));
        });
        var rebuilds = 0;
        while (!sending.IsCompleted || rebuilds == 0)
        {
            var rebuilt = await system.Api.RebuildSpendAsync();
            Assert.True(rebuilt.IsSuccessStatusCode, rebuilt.Error?.Message);
            rebuilds++;
        }
        await sending;

        var figures = await system.SpendOf(user, f => f.Requests == requests, "every charge");
        Assert.Equal(requests * 2m, figures.CostUsd);
        var totals = await TotalsAsync();
        Assert.Equal(totals.Charges, totals.Spend);
        Assert.Equal(totals.Charged, totals.Requests);
        // The daily table (what whole-day spend reads) followed the damage, the truncate and the replay.
        Assert.Equal(
            0,
            await DailySpendCheck.MismatchesAsync(
                system.Environment.Servers.Postgres,
                system.Environment.Schema("accounting")
            )
        );
    }
}
