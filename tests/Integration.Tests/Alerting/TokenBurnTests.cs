using System.Net;
using Npgsql;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class TokenBurnTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    private static List<UsageEvent> PingPong(string user, int count) =>
        Enumerable
            .Range(0, count)
            .Select(i => new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-60 + i),
                User = user,
                Model = "gpt-4.1",
                InputTokens = 2_000,
                OutputTokens = 500,
                AgentName = i % 2 == 0 ? "agent-a" : "agent-b",
            })
            .ToList();

    private async Task<string?> ManagerKnownToAlerting(string user)
    {
        await using var connection = new NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select manager from {system.Environment.Schema("alerting")}.people where user_id = @u",
            connection
        );
        command.Parameters.AddWithValue("u", user);
        return await command.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task Two_agents_taking_turns_alert_the_users_manager_and_one_request_fewer_does_not()
    {
        var (player, almost) = (
            "pinger-" + Guid.NewGuid().ToString("N")[..6],
            "almost-" + Guid.NewGuid().ToString("N")[..6]
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Api.TuneRuleAsync("token_burn", new Dictionary<string, object> { ["requests"] = 10 })
            ).StatusCode
        );
        await system.Ingest.SetDirectoryUserAsync(
            player,
            new DirectoryUserRequest(null, null, "team-pp", "boss-" + player, null)
        );
        await Eventually.Until(
            () => ManagerKnownToAlerting(player),
            m => m is not null,
            "Alerting to learn the player's manager"
        );
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.token_burn.*");

        await system.Ingest.RecordUsageBatchAsync([.. PingPong(player, 10), .. PingPong(almost, 9)]);
        var found = await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber.Received.Where(m => m.Text("title").Contains(player)).ToList();
            },
            f => f.Count > 0,
            "the ping-pong to be caught"
        );
        Assert.Equal(("alert.token_burn.warning", "boss-" + player), (found[0].RoutingKey, found[0].Text("manager")));
        Assert.DoesNotContain(subscriber.Received, m => m.Text("title").Contains(almost));
    }

    [Fact]
    public async Task Two_agents_taking_turns_are_caught_even_when_a_third_worked_earlier_in_the_window()
    {
        var player = "late-pinger-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Api.TuneRuleAsync("token_burn", new Dictionary<string, object> { ["requests"] = 10 })
            ).StatusCode
        );
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.token_burn.*");
        var earlier = PingPong(player, 3)
            .Select(
                (u, i) =>
                    u with
                    {
                        AgentName = "agent-c",
                        OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(i),
                    }
            );

        await system.Ingest.RecordUsageBatchAsync([.. earlier, .. PingPong(player, 10)]);

        var found = await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber.Received.Where(m => m.Text("title").Contains(player)).ToList();
            },
            f => f.Count > 0,
            "the ping-pong after the third agent to be caught"
        );
        Assert.StartsWith("13 requests in 30 minutes", found[0].Text("detail"));
    }

    [Fact]
    public async Task Passing_the_daily_cap_is_a_critical_burn_rate_that_stops_spend_and_at_the_cap_is_not()
    {
        var (spender, atCap) = (
            "capped-" + Guid.NewGuid().ToString("N")[..6],
            "atcap-" + Guid.NewGuid().ToString("N")[..6]
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await system.Api.TuneRuleAsync("burn_rate", new Dictionary<string, object> { ["dailyCapUsd"] = 0.1 })
            ).StatusCode
        );
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.burn_rate.#");
        UsageEvent Spend(string user, long tokens) =>
            new()
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-5),
                User = user,
                Model = "gpt-4.1",
                InputTokens = tokens,
            };
        // gpt-4.1 input: $2 per MTok; 50,000 tokens = $0.10 exactly, 50,001 is above.
        await system.Ingest.RecordUsageBatchAsync([Spend(spender, 50_001), Spend(atCap, 50_000)]);
        var found = await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber.Received.Where(m => m.Text("title").Contains(spender)).ToList();
            },
            f => f.Count > 0,
            "the cap to be passed"
        );
        Assert.Equal("alert.burn_rate.critical", found[0].RoutingKey);
        Assert.False(
            (
                await Eventually.Until(
                    async () => (await system.Api.CheckAsync(spender)).Content!,
                    c => !c.Allow,
                    "the breaker"
                )
            ).Allow
        );
        Assert.DoesNotContain(subscriber.Received, m => m.Text("title").Contains(atCap));
        Assert.True((await system.Api.CheckAsync(atCap)).Content!.Allow);
    }
}
