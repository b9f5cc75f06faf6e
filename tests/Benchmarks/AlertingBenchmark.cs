using System.Diagnostics;
using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>GET /v1/check latency at a fixed request rate, and runaway alert latency (usage 202 → message on tokenwise.alerts).</summary>
internal static class AlertingBenchmark
{
    /// <summary>The users a gateway asks about: half of them get a breaker opened by <see cref="OpenBreakersAsync"/>.</summary>
    public static readonly IReadOnlyList<string> GatewayUsers = Enumerable
        .Range(0, 200)
        .Select(i => $"gateway-user-{i}@bench.example")
        .ToList();

    /// <summary>A hard budget of a cent for every other gateway user, then usage above it: their breakers open.</summary>
    public static async Task OpenBreakersAsync(
        IsolatedEnvironment environment,
        IIngestionApi ingestion,
        IAccountingApi accounting
    )
    {
        var limited = GatewayUsers.Where((_, i) => i % 2 == 0).ToList();
        await using var breakers = await AlertSubscriber.BindAsync(environment, "alert.breaker.critical");
        foreach (var user in limited)
            await accounting.SetBudgetAsync("user", user, new BudgetRequest(0.01m, HardLimit: true));
        await ingestion.RecordUsageBatchAsync(
            limited
                .Select(user => new UsageEvent
                {
                    Id = "open-" + user,
                    OccurredAt = DateTimeOffset.UtcNow,
                    User = user,
                    Model = "gpt-4.1",
                    InputTokens = 10_000,
                })
                .ToList()
        );
        await breakers.WaitForAsync(_ => true, "every breaker to open", limited.Count);
    }

    /// <summary>
    /// Open loop (<see cref="OpenLoop"/>), like a gateway asking before each request; half the users asked about have
    /// an open breaker. Latency is from the moment a request is sent; the generator's own lag is reported apart.
    /// </summary>
    public static async Task<(Latencies Latencies, Latencies Lag, int Refused)> CheckAsync(
        IAlertingApi alerting,
        IReadOnlyList<string> users,
        int requestsPerSecond,
        TimeSpan duration
    )
    {
        var refused = 0;
        var result = await OpenLoop.RunAsync(
            requestsPerSecond,
            duration,
            async n =>
            {
                var response = await alerting.CheckAsync(users[n % users.Count], model: "gpt-4.1");
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"check answered {(int?)response.StatusCode}");
                if (!response.Content!.Allow)
                    Interlocked.Increment(ref refused);
            }
        );
        return (result.FromSent, result.Lag, refused);
    }

    /// <summary>Each trial: a new session sends one batch above the (tuned) rate; time from its 202 to the alert on the exchange.</summary>
    public static async Task<Latencies> RunawayAsync(
        IIngestionApi ingestion,
        AlertSubscriber subscriber,
        int requestsAboveRate,
        int trials
    )
    {
        var latencies = new Latencies();
        for (var trial = 0; trial < trials; trial++)
        {
            var session = $"bench-loop-{Guid.NewGuid():N}";
            var at = DateTimeOffset.UtcNow;
            var batch = Enumerable
                .Range(0, requestsAboveRate)
                .Select(i => new UsageEvent
                {
                    Id = $"{session}-{i}",
                    OccurredAt = at,
                    User = $"looper-{trial}@bench.example",
                    Model = "gpt-4.1",
                    InputTokens = 1_000,
                    SessionId = session,
                })
                .ToList();
            var response = await ingestion.RecordUsageBatchAsync(batch);
            var accepted = Stopwatch.StartNew();
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"ingest answered {(int?)response.StatusCode}");
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.runaway.critical" && m.Text("title").Contains(session),
                "the runaway alert"
            );
            latencies.Add(accepted.Elapsed);
        }
        return latencies;
    }
}
