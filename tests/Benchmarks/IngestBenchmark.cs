using System.Diagnostics;
using System.Net;
using Tokenwise.Client.Apis;

namespace Tokenwise.Benchmarks;

/// <summary>POST /v1/usage throughput and latency for a batch size, and single events at a fixed request rate.</summary>
internal static class IngestBenchmark
{
    /// <summary>Closed loop: <paramref name="senders"/> concurrent senders post batches as fast as answers come.</summary>
    /// <param name="run">Prefixes every event id (a new one when not given), so the run's usage can be counted by its keys.</param>
    public static async Task<(double EventsPerSecond, Latencies Latencies)> Saturate(
        IIngestionApi api,
        int batchSize,
        int totalEvents,
        int senders,
        string? run = null
    )
    {
        run ??= NewRun();
        var latencies = new Latencies();
        long next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, senders)
                .Select(async _ =>
                {
                    while (true)
                    {
                        var start = Interlocked.Add(ref next, batchSize) - batchSize;
                        if (start >= totalEvents)
                            return;
                        var batch = Enumerable.Range(0, batchSize).Select(i => Workload.Event(run, start + i)).ToList();
                        var sent = Stopwatch.StartNew();
                        var response = await api.RecordUsageBatchAsync(batch);
                        latencies.Add(sent.Elapsed);
                        if (response.StatusCode != HttpStatusCode.Accepted)
                            throw new InvalidOperationException($"ingest answered {(int?)response.StatusCode}");
                    }
                })
        );
        return (totalEvents / watch.Elapsed.TotalSeconds, latencies);
    }

    public static string NewRun() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>Open loop (<see cref="OpenLoop"/>): one event per request at a fixed rate, latency from when each was due.</summary>
    public static async Task<Latencies> FixedRate(IIngestionApi api, int requestsPerSecond, TimeSpan duration)
    {
        var run = NewRun();
        var result = await OpenLoop.RunAsync(
            requestsPerSecond,
            duration,
            async n =>
            {
                var response = await api.RecordUsageAsync(Workload.Event(run, n));
                if (response.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"ingest answered {(int?)response.StatusCode}");
            }
        );
        return result.FromDue;
    }
}
