using System.Net;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class RunawayTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    private static IEnumerable<UsageEvent> Requests(string user, string session, int count, DateTimeOffset at) =>
        Enumerable
            .Range(0, count)
            .Select(_ => new UsageEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = at,
                User = user,
                Model = "gpt-4.1",
                InputTokens = 1_000,
                SessionId = session,
                Tool = "claude-code",
            });

    [Fact]
    public async Task A_session_above_the_rate_alerts_critical_and_opens_the_breaker_one_at_the_rate_does_not_and_quiet_resolves_it()
    {
        var (user, looping, steady) = (
            "looper-" + Guid.NewGuid().ToString("N")[..6],
            "s-loop-" + Guid.NewGuid().ToString("N")[..6],
            "s-steady-" + Guid.NewGuid().ToString("N")[..6]
        );
        var tuned = await system.Api.TuneRuleAsync(
            "runaway",
            new Dictionary<string, object> { ["requestsPerMinute"] = 3, ["minutes"] = 1 }
        );
        Assert.Equal(HttpStatusCode.OK, tuned.StatusCode);
        await using var subscriber = await AlertSubscriber.BindAsync(
            system.Environment,
            "alert.runaway.#",
            "alert.breaker.#"
        );

        var at = DateTimeOffset.UtcNow;
        await system.Ingest.RecordUsageBatchAsync(
            Requests(user, looping, 4, at).Concat(Requests("steady-" + user, steady, 3, at)).ToList()
        );
        var raised = await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber
                    .Received.Where(m =>
                        m.RoutingKey == "alert.runaway.critical"
                        && m.Body.GetProperty("scope").GetProperty("id").GetString() == looping
                    )
                    .ToList();
            },
            found => found.Count > 0,
            "the looping session to be caught"
        );
        Assert.Equal(
            ("raised", user),
            (raised[0].Text("status"), raised[0].Body.GetProperty("links").GetProperty("user").GetString())
        );
        Assert.Equal(4m, raised[0].Body.GetProperty("observed").GetDecimal());

        await subscriber.WaitForAsync(
            m => m.RoutingKey == "alert.breaker.critical" && m.Text("title").Contains(user),
            "the looper's breaker to open"
        );
        Assert.False(
            (
                await Eventually.Until(
                    async () => (await system.SecondApi.CheckAsync(user)).Content!,
                    c => !c.Allow,
                    "the check to refuse"
                )
            ).Allow
        );
        // The steady session was evaluated in the same pass (same batch, same minute) and is not a runaway.
        Assert.DoesNotContain(subscriber.Received, m => m.Text("title").Contains(steady));

        system.Clock.Advance(TimeSpan.FromMinutes(11));
        var resolved = await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber
                    .Received.Where(m =>
                        m.Text("alertId") == raised[0].Text("alertId") && m.Text("status") == "resolved"
                    )
                    .ToList();
            },
            found => found.Count > 0,
            "the quiet session's alert to resolve"
        );
        Assert.Equal("alert.runaway.critical", resolved[0].RoutingKey);
        var alert = (await system.Api.GetAlertAsync(raised[0].Text("alertId"))).Content!;
        Assert.Equal(("resolved", "tokenwise"), (alert.Alert.Status, alert.Alert.ResolvedBy));
    }

    [Fact]
    public async Task A_session_quiet_for_a_day_is_forgotten_and_an_active_one_is_kept_whole()
    {
        var (user, quiet, active) = (
            "pruned-" + Guid.NewGuid().ToString("N")[..6],
            "s-quiet-" + Guid.NewGuid().ToString("N")[..6],
            "s-active-" + Guid.NewGuid().ToString("N")[..6]
        );
        var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3);
        await system.Ingest.RecordUsageBatchAsync(
            Requests(user, quiet, 1, threeDaysAgo)
                .Concat(Requests(user, active, 1, threeDaysAgo))
                .Concat(Requests(user, active, 1, DateTimeOffset.UtcNow))
                .ToList()
        );
        await Eventually.Until(
            () => SessionMinutes(quiet, active),
            rows => rows == (1, 2),
            "both sessions' minutes to be watched"
        );

        await system.Evaluator.EvaluateAsync(default);

        Assert.Equal((0, 2), await SessionMinutes(quiet, active));
    }

    private async Task<(int Quiet, int Active)> SessionMinutes(string quiet, string active)
    {
        await using var connection = new Npgsql.NpgsqlConnection(system.Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select count(*) filter (where session_id = @q)::int, count(*) filter (where session_id = @a)::int "
                + $"from {system.Environment.Schema("alerting")}.session_minutes",
            connection
        );
        command.Parameters.AddWithValue("q", quiet);
        command.Parameters.AddWithValue("a", active);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }
}
