using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tokenwise.Benchmarks;

/// <summary>
/// What an open-loop run measured: each request from when it was sent, from when it was due, and how late it went;
/// and each request's due time with its latency from then, to see when in the run the slow ones fell.
/// </summary>
internal sealed record OpenLoopResult(
    Latencies FromSent,
    Latencies FromDue,
    Latencies Lag,
    ConcurrentBag<(TimeSpan Due, TimeSpan Latency)> Timeline
)
{
    /// <summary>The requests at or above <paramref name="percentile"/>, counted by the second of the run they were due in.</summary>
    public IReadOnlyDictionary<int, int> SlowBySecond(double percentile)
    {
        var threshold = FromDue.Percentile(percentile);
        return Timeline
            .Where(t => t.Latency.TotalMilliseconds >= threshold)
            .GroupBy(t => (int)t.Due.TotalSeconds)
            .OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Count());
    }
}

/// <summary>
/// Open loop, like a gateway that sends when its users ask, not when the previous answer came: request n is due at
/// n / rate seconds, whatever the answers before it did. Measuring from the due time avoids coordinated omission;
/// how late the generator itself sent (timer resolution, busy cores) is reported apart as the lag.
/// </summary>
internal static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(int requestsPerSecond, TimeSpan duration, Func<int, Task> request)
    {
        var result = new OpenLoopResult(new Latencies(), new Latencies(), new Latencies(), []);
        var total = (int)(requestsPerSecond * duration.TotalSeconds);
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
                var sent = clock.Elapsed;
                result.Lag.Add(sent - due);
                var id = n;
                inFlight.Add(
                    Task.Run(async () =>
                    {
                        await request(id);
                        var answered = clock.Elapsed;
                        result.FromSent.Add(answered - sent);
                        result.FromDue.Add(answered - due);
                        result.Timeline.Add((due, answered - due));
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
        return result;
    }
}
