using System.Diagnostics;
using System.Net;
using Tokenwise.Client.Apis;

namespace Tokenwise.Benchmarks;

/// <summary>
/// Sends batches at a fixed event rate and watches GET /v1/spend: freshness is the time from a batch's 202 to the
/// moment Accounting's totals include it. Also gives how long the pipeline takes to absorb a backlog.
/// </summary>
internal static class FreshnessBenchmark
{
    public static async Task<long> ChargedRequests(IAccountingApi accounting)
    {
        var today = DateTime.UtcNow;
        var report = await accounting.GetSpendAsync(
            "user",
            today.AddDays(-1).ToString("yyyy-MM-dd"),
            today.AddDays(1).ToString("yyyy-MM-dd")
        );
        return report.Content?.Totals.Requests
            ?? throw new InvalidOperationException($"spend answered {(int?)report.StatusCode}");
    }

    /// <summary>Waits until Accounting has charged <paramref name="expected"/> requests in all; returns how long that took.</summary>
    public static async Task<TimeSpan> Drain(IAccountingApi accounting, long expected, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (await ChargedRequests(accounting) < expected)
        {
            if (watch.Elapsed > deadline)
                throw new TimeoutException($"Accounting did not charge {expected} requests within {deadline}");
            await Task.Delay(20);
        }
        return watch.Elapsed;
    }

    public static async Task<Latencies> Run(
        IIngestionApi ingestion,
        IAccountingApi accounting,
        int eventsPerSecond,
        int batchSize,
        TimeSpan duration,
        long alreadyCharged
    )
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var batchesPerSecond = (double)eventsPerSecond / batchSize;
        var batches = (int)(batchesPerSecond * duration.TotalSeconds);
        var acceptedAt = new TimeSpan[batches];
        var clock = Stopwatch.StartNew();
        var freshness = new Latencies();
        using var stop = new CancellationTokenSource();

        // The watcher sees totals grow; each batch is fresh once the total covers all events sent up to it.
        var watcher = Task.Run(async () =>
        {
            var next = 0;
            while (next < batches && !stop.IsCancellationRequested)
            {
                var charged = await ChargedRequests(accounting) - alreadyCharged;
                var seenAt = clock.Elapsed;
                while (next < batches && acceptedAt[next] != default && charged >= (long)(next + 1) * batchSize)
                    freshness.Add(seenAt - acceptedAt[next++]);
                await Task.Delay(10);
            }
        });

        var sends = new List<Task>();
        for (var b = 0; b < batches; b++)
        {
            var due = TimeSpan.FromSeconds(b / batchesPerSecond);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            var index = b;
            sends.Add(
                Task.Run(async () =>
                {
                    var batch = Enumerable
                        .Range(0, batchSize)
                        .Select(i => Workload.Event(run, (long)index * batchSize + i))
                        .ToList();
                    var response = await ingestion.RecordUsageBatchAsync(batch);
                    if (response.StatusCode != HttpStatusCode.Accepted)
                        throw new InvalidOperationException($"ingest answered {(int?)response.StatusCode}");
                    acceptedAt[index] = clock.Elapsed;
                })
            );
        }
        await Task.WhenAll(sends);
        await Task.WhenAny(watcher, Task.Delay(TimeSpan.FromSeconds(60)));
        await stop.CancelAsync();
        return freshness;
    }
}
