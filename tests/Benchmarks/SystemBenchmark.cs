using System.Diagnostics;
using Npgsql;
using Tokenwise.Client.Apis;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>
/// How far each service has got with one run of events (<see cref="IngestBenchmark.Saturate"/>'s run id): usage it has
/// taken in, each counted once by the table that is its claim.
/// </summary>
internal static class SystemProgress
{
    // Events sent with the bootstrap key are keyed "bootstrap/{id}", and a run's ids are "{run}-{n}": the run's usage is
    // one range of the claim tables' primary keys, counted without reading the rows of earlier runs.
    private static (string From, string To) Keys(string run) => ($"bootstrap/{run}-", $"bootstrap/{run}.");

    public static async Task<long> TakenInAsync(
        IsolatedEnvironment environment,
        string service,
        string run,
        long sentBefore
    )
    {
        await using var connection = new NpgsqlConnection(environment.Servers.Postgres);
        await connection.OpenAsync();
        var schema = environment.Schema(service);
        await using var command = new NpgsqlCommand(
            service switch
            {
                "accounting" => $"select count(*) from {schema}.charges where usage_key >= @from and usage_key < @to",
                "outcomes" => $"select count(*) from {schema}.usage_facts where usage_key >= @from and usage_key < @to",
                // Alerting claims whole batches, with their sizes; earlier runs' are subtracted.
                _ => $"select coalesce(sum(items), 0)::bigint - @before from {schema}.watched_batches",
            },
            connection
        );
        var (from, to) = Keys(run);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("before", sentBefore);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until Accounting, Outcomes and Alerting have each taken in the run's <paramref name="expected"/> events
    /// (<paramref name="sentBefore"/> were sent in earlier runs); when each was done.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, TimeSpan>> DrainAsync(
        IsolatedEnvironment environment,
        string run,
        long expected,
        long sentBefore,
        TimeSpan deadline
    )
    {
        var watch = Stopwatch.StartNew();
        var done = new Dictionary<string, TimeSpan>();
        var last = new Dictionary<string, (long Count, TimeSpan At)>();
        while (done.Count < 3)
        {
            var wait = TimeSpan.FromSeconds(2);
            foreach (var service in new[] { "accounting", "outcomes", "alerting" }.Where(s => !done.ContainsKey(s)))
            {
                var count = await TakenInAsync(environment, service, run, sentBefore);
                var now = watch.Elapsed;
                if (count >= expected)
                {
                    done[service] = now;
                    continue;
                }
                // Counting is work for the database being measured: poll again shortly before the service should be
                // done at its current pace, never more often than every 100 ms.
                if (last.TryGetValue(service, out var previous) && count > previous.Count)
                {
                    var perSecond = (count - previous.Count) / (now - previous.At).TotalSeconds;
                    var eta = TimeSpan.FromSeconds(0.8 * (expected - count) / perSecond);
                    if (eta < wait)
                        wait = eta;
                }
                else if (wait > TimeSpan.FromMilliseconds(500))
                    wait = TimeSpan.FromMilliseconds(500);
                last[service] = (count, now);
            }
            if (watch.Elapsed > deadline)
                throw new TimeoutException($"not every service took in {expected:N0} events within {deadline}");
            if (done.Count < 3)
                await Task.Delay(wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : wait);
        }
        return done;
    }
}

/// <summary>What one sustained phase of the whole system measured.</summary>
internal sealed record SustainedRun(
    double EventsPerSecond,
    double AcceptedPerSecond,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, TimeSpan> DoneAfterLastAccept,
    IReadOnlyDictionary<string, double> CpuSeconds,
    long WarmUpEvents,
    int WarmUpRounds,
    IReadOnlyDictionary<string, double> LastWarmUpRound
);

internal static class SustainedPhase
{
    /// <summary>
    /// Warms the services up at the measured load until the JIT has settled, then sends <paramref name="total"/> events
    /// in batches of 1,000 from 4 senders and waits until Accounting, Outcomes and Alerting have taken every one in.
    /// A fresh process spends up to a third of a core compiling its hot paths at their final tier (docs/benchmarks.md),
    /// which a service running for days does not: rounds of <paramref name="round"/> events until the JIT used under
    /// 2 % of the round's CPU, 10 rounds at most.
    /// </summary>
    public static async Task<SustainedRun> RunAsync(
        IsolatedEnvironment environment,
        IIngestionApi ingest,
        ProcessCpu cpu,
        int round,
        int total
    )
    {
        var deadline = TimeSpan.FromMinutes(5);
        long accepted = 0;
        var rounds = 0;
        IReadOnlyDictionary<string, double> lastRound;
        do
        {
            var before = cpu.Snapshot();
            var warmRun = IngestBenchmark.NewRun();
            await IngestBenchmark.Saturate(ingest, 1_000, round, 4, warmRun);
            await SystemProgress.DrainAsync(environment, warmRun, round, accepted, deadline);
            accepted += round;
            rounds++;
            lastRound = ProcessCpu.Between(before, cpu.Snapshot());
        } while (rounds < 10 && lastRound.GetValueOrDefault(ProcessCpu.Jit) > 0.02 * ProcessCpu.Total(lastRound));

        var run = IngestBenchmark.NewRun();
        var cpuBefore = cpu.Snapshot();
        var watch = Stopwatch.StartNew();
        var (acceptRate, _) = await IngestBenchmark.Saturate(ingest, 1_000, total, 4, run);
        var done = await SystemProgress.DrainAsync(environment, run, total, accepted, deadline);
        return new SustainedRun(
            total / watch.Elapsed.TotalSeconds,
            acceptRate,
            watch.Elapsed,
            done,
            ProcessCpu.Between(cpuBefore, cpu.Snapshot()),
            accepted,
            rounds,
            lastRound
        );
    }
}
