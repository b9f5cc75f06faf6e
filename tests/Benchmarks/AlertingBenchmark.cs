using System.Diagnostics;
using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>GET /v1/check latency at a fixed request rate, and runaway alert latency (usage 202 → message on tokenwise.alerts).</summary>
internal static class AlertingBenchmark
{
    /// <summary>
    /// Open loop, like a gateway asking before each request; half the users asked about have an open breaker.
    /// Latency is from the moment a request is sent; how late the generator sent it (timer resolution, two busy
    /// cores) is reported apart as the lag.
    /// </summary>
    public static async Task<(Latencies Latencies, Latencies Lag, int Refused)> CheckAsync(
        IAlertingApi alerting,
        IReadOnlyList<string> users,
        int requestsPerSecond,
        TimeSpan duration
    )
    {
        var latencies = new Latencies();
        var lag = new Latencies();
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        // A thread of its own paces the sends: Thread.Sleep(1) wakes within about a millisecond, where Task.Delay's
        // timer fires late under load and would send requests in bursts.
        var pacer = new Thread(() =>
        {
            for (var n = 0; n < total; n++)
            {
                var due = TimeSpan.FromSeconds((double)n / requestsPerSecond);
                while (clock.Elapsed < due)
                    Thread.Sleep(1);
                var user = users[n % users.Count];
                var sent = clock.Elapsed;
                lag.Add(sent - due);
                inFlight.Add(
                    Task.Run(async () =>
                    {
                        var response = await alerting.CheckAsync(user, model: "gpt-4.1");
                        latencies.Add(clock.Elapsed - sent);
                        if (response.StatusCode != HttpStatusCode.OK)
                            throw new InvalidOperationException($"check answered {(int?)response.StatusCode}");
                        if (!response.Content!.Allow)
                            Interlocked.Increment(ref refused);
                    })
                );
            }
        })
        {
            IsBackground = true,
            Priority = ThreadPriority.AboveNormal,
        };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Task.WhenAll(inFlight);
        return (latencies, lag, refused);
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
