using Npgsql;
using Tokenwise.Client.Models;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>Its own system: it reshapes and rebuilds the spend table, which would disturb other tests' figures meanwhile.</summary>
public sealed class SpendUpgradeTests(AccountingSystem system) : IClassFixture<AccountingSystem>
{
    [Fact]
    public async Task A_spend_table_from_before_price_versions_is_projected_again_from_the_events_at_start()
    {
        var user = "upgraded-" + Guid.NewGuid().ToString("N")[..8];
        // gpt-4.1 input is $2 per MTok.
        await system.PostAsync(new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"), OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), User = user, Model = "gpt-4.1", InputTokens = 1_000_000,
        });
        await system.SpendOf(user, f => f.CostUsd == 2m, "the charge");

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
}
