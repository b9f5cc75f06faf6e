using Npgsql;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class RepricingTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    [Fact]
    public async Task A_price_corrected_after_the_fact_corrects_what_the_watch_rules_read_and_counts_no_extra_request()
    {
        var (user, session, model) = ("repriced-" + Guid.NewGuid().ToString("N")[..6], "s-" + Guid.NewGuid().ToString("N")[..6], "corrected-" + Guid.NewGuid().ToString("N")[..6]);
        await system.Spend.SetPriceAsync("acme", model, new PriceRequest(DateTimeOffset.UtcNow.AddDays(-10), 1m, 1m));
        await system.Ingest.RecordUsageAsync(new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"), OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1), User = user, Provider = "acme", Model = model,
            InputTokens = 1_000_000, SessionId = session,
        });
        await Eventually.Until(() => Watched(user, session), w => w == (1m, 1m, 1), "the usage to be watched at $1");

        await system.Spend.SetPriceAsync("acme", model, new PriceRequest(DateTimeOffset.UtcNow.AddDays(-5), 3m, 3m));

        await Eventually.Until(() => Watched(user, session), w => w == (3m, 3m, 1), "the watched spend to become $3, still one request");
    }

    /// <summary>The user's spend per minute summed, and the session's cost and requests, as Alerting's rules read them.</summary>
    private async Task<(decimal UserSpend, decimal SessionCost, int SessionRequests)> Watched(string user, string session)
    {
        await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        var schema = system.Environment.Schema("alerting");
        await using var command = new NpgsqlCommand(
            $"select coalesce((select sum(cost) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u), 0), " +
            $"coalesce((select sum(cost) from {schema}.session_minutes where session_id = @s), 0), " +
            $"coalesce((select sum(requests) from {schema}.session_minutes where session_id = @s), 0)::int", connection);
        command.Parameters.AddWithValue("u", user);
        command.Parameters.AddWithValue("s", session);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetDecimal(1), reader.GetInt32(2));
    }
}
