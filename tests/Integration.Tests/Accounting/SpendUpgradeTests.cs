using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.Client.Models;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>Its own system: it reshapes and rebuilds the spend table, which would disturb other tests' figures meanwhile.</summary>
public sealed class SpendUpgradeTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    /// <summary>One request of a million gpt-4.1 input tokens ($2 per MTok), waited for until it is in the user's spend.</summary>
    private async Task ChargeTwoDollarsAsync(string user)
    {
        await system.PostAsync(new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"), OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), User = user, Model = "gpt-4.1", InputTokens = 1_000_000,
        });
        await system.SpendOf(user, f => f.CostUsd == 2m, "the charge");
    }

    [Fact]
    public async Task A_spend_table_from_before_price_versions_is_projected_again_from_the_events_at_start()
    {
        var user = "upgraded-" + Guid.NewGuid().ToString("N")[..8];
        await ChargeTwoDollarsAsync(user);

        // The table as the first release made it: no price_version column.
        await using (var connection = new NpgsqlConnection(system.Environment.Servers.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"alter table {system.Environment.Schema("accounting")}.spend_hourly drop column price_version", connection);
            await command.ExecuteNonQueryAsync();
        }
        await system.RestartAccountingAsync();

        var figures = await system.SpendOf(user, f => f.CostUsd == 2m, "the charge projected again");
        Assert.Equal(1, figures.Requests);
        Assert.Equal(["default:openai/gpt-4.1@2025-04-14"], (await system.SpendRowOf(user))!.PriceVersions);
    }

    [Fact]
    public async Task Charges_the_async_projection_had_not_reached_are_added_at_start_and_the_rest_once()
    {
        var user = "caught-up-" + Guid.NewGuid().ToString("N")[..8];
        await ChargeTwoDollarsAsync(user);

        // As an earlier release left it: the daemon had projected up to just before this charge, and no further.
        var schema = system.Environment.Schema("accounting");
        long charged;
        await using (var session = system.Accounting.Services.GetRequiredService<IDocumentStore>().QuerySession())
            charged = (await session.EventsOfTypeAsync<UsageChargedBatch>()).Single(e => ((UsageChargedBatch)e.Data).Items.Any(c => c.User == user)).Sequence;
        await using (var connection = new NpgsqlConnection(system.Environment.Servers.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"insert into {schema}.mt_event_progression (name, last_seq_id) values ('HourlySpendProjection:All', @before); " +
                $"delete from {schema}.spend_hourly where user_id = @exact", connection);
            command.Parameters.AddWithValue("before", charged - 1);
            command.Parameters.AddWithValue("exact", user);
            await command.ExecuteNonQueryAsync();
        }
        var before = (await system.SpendRowsAsync()).Where(r => r.Group["user"] != user).Sum(r => r.Figures.CostUsd);
        await system.RestartAccountingAsync();

        var figures = await system.SpendOf(user, f => f.CostUsd == 2m, "the charge caught up");
        Assert.Equal(1, figures.Requests);
        Assert.Equal(before, (await system.SpendRowsAsync()).Where(r => r.Group["user"] != user).Sum(r => r.Figures.CostUsd));
    }
}
