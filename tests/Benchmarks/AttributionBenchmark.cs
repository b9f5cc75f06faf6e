using System.Diagnostics;
using System.Net;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;

namespace Tokenwise.Benchmarks;

/// <summary>
/// Attribution at a steady rate: PRs are merged first, then each batch of usage is aimed at one PR through every
/// rule (a quarter names it, a quarter uses its branch, a quarter shares a session with those, a quarter falls in
/// its author's window). Freshness is a batch's 202 → the PR's request count in GET /v1/prs including it, so it
/// covers Ingestion, Accounting's charge and Outcomes' attribution.
/// </summary>
internal sealed class AttributionBenchmark(IIngestionApi ingestion, IOutcomesApi outcomes, int prs)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly DateTimeOffset _mergedAt = DateTimeOffset.UtcNow.AddMinutes(-30);
    private string Repo => $"bench/r{_run}";

    private string Author(int pr) => $"author-{pr}@bench.example";

    public async Task MergeAsync()
    {
        var merges = Enumerable
            .Range(1, prs)
            .Select(n => new OutcomeEvent
            {
                Id = $"{_run}-merge-{n}",
                OccurredAt = _mergedAt,
                Kind = "pr_merged",
                Repo = Repo,
                PrNumber = n,
                User = Author(n),
                Branch = $"feat/{n}",
                Sha = $"{_run}{n:d8}",
                AiAssisted = n % 2 == 0,
            })
            .ToList();
        Ensure(await ingestion.RecordOutcomesAsync(merges), "outcomes");
        await UntilAsync(
            () => RequestsOn(prs),
            r => r is not null,
            TimeSpan.FromSeconds(60),
            "the merges to be recorded"
        );
    }

    public UsageEvent Usage(int batch, int i)
    {
        var pr = batch % prs + 1;
        var at = _mergedAt.AddMinutes(-10).AddMilliseconds(batch);
        var session = $"{_run}-s{batch}";
        var usage = new UsageEvent
        {
            Id = $"{_run}-{batch}-{i}",
            OccurredAt = at,
            User = Author(pr),
            Model = "gpt-4.1",
            InputTokens = 1_000 + i,
            OutputTokens = 200,
            Tool = "claude-code",
        };
        return (i % 4) switch
        {
            0 => usage with { Repo = Repo, PrNumber = pr, SessionId = session },
            1 => usage with { Repo = Repo, Branch = $"feat/{pr}" },
            2 => usage with { SessionId = session },
            _ => usage with { Repo = Repo },
        };
    }

    /// <summary>Steady rate; every batch's freshness on its PR.</summary>
    public async Task<Latencies> SteadyAsync(int eventsPerSecond, int batchSize, TimeSpan duration)
    {
        var batchesPerSecond = (double)eventsPerSecond / batchSize;
        var batches = (int)(batchesPerSecond * duration.TotalSeconds);
        var acceptedAt = new TimeSpan?[batches];
        var clock = Stopwatch.StartNew();
        var freshness = new Latencies();

        var sends = new List<Task>();
        var watcher = Task.Run(async () =>
        {
            // Batches to one PR are counted in order; a batch is fresh when its PR holds every request sent to it up to it.
            var cumulative = new long[batches];
            var perPr = new long[prs + 1];
            for (var b = 0; b < batches; b++)
                cumulative[b] = perPr[b % prs + 1] += batchSize;
            for (var next = 0; next < batches; )
            {
                if (acceptedAt[next] is not { } accepted)
                {
                    await Task.Delay(5);
                    continue;
                }
                var requests = await RequestsOn(next % prs + 1) ?? 0;
                var seenAt = clock.Elapsed;
                if (requests >= cumulative[next])
                {
                    freshness.Add(seenAt - accepted);
                    next++;
                }
                else if (clock.Elapsed > duration + TimeSpan.FromMinutes(2))
                    throw new TimeoutException($"batch {next} never attributed");
            }
        });
        for (var b = 0; b < batches; b++)
        {
            var due = TimeSpan.FromSeconds(b / batchesPerSecond);
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            var index = b;
            sends.Add(
                Task.Run(async () =>
                {
                    Ensure(
                        await ingestion.RecordUsageBatchAsync(
                            Enumerable.Range(0, batchSize).Select(i => Usage(index, i)).ToList()
                        ),
                        "usage"
                    );
                    acceptedAt[index] = clock.Elapsed;
                })
            );
        }
        await Task.WhenAll(sends);
        await watcher;
        _sentBatches = batches;
        for (var b = 0; b < batches; b++)
            _sentToPr[b % prs + 1] += batchSize;
        return freshness;
    }

    private int _sentBatches;
    private readonly long[] _sentToPr = new long[prs + 1];

    /// <summary>As fast as Ingestion takes them; attributed events per second from the first send to the last PR complete.</summary>
    public async Task<double> SaturateAsync(int batchSize, int totalEvents, int senders)
    {
        var first = _sentBatches;
        var batches = totalEvents / batchSize;
        var watch = Stopwatch.StartNew();
        var next = first - 1;
        await Task.WhenAll(
            Enumerable
                .Range(0, senders)
                .Select(async _ =>
                {
                    for (
                        var b = Interlocked.Increment(ref next);
                        b < first + batches;
                        b = Interlocked.Increment(ref next)
                    )
                        Ensure(
                            await ingestion.RecordUsageBatchAsync(
                                Enumerable.Range(0, batchSize).Select(i => Usage(b, i)).ToList()
                            ),
                            "usage"
                        );
                })
        );
        for (var b = first; b < first + batches; b++)
            _sentToPr[b % prs + 1] += batchSize;
        _sentBatches = first + batches;
        for (var pr = 1; pr <= prs; pr++)
        {
            var n = pr;
            await UntilAsync(
                () => RequestsOn(n),
                r => r >= _sentToPr[n],
                TimeSpan.FromMinutes(5),
                $"PR {n} to hold {_sentToPr[n]} requests"
            );
        }
        return totalEvents / watch.Elapsed.TotalSeconds;
    }

    private async Task<long?> RequestsOn(int pr)
    {
        var response = await outcomes.GetPrAsync("bench", "r" + _run, pr);
        return response.StatusCode == HttpStatusCode.OK ? response.Content!.Requests : null;
    }

    private static async Task UntilAsync(Func<Task<long?>> read, Func<long?, bool> done, TimeSpan deadline, string what)
    {
        var watch = Stopwatch.StartNew();
        long? last;
        while (!done(last = await read()))
        {
            if (watch.Elapsed > deadline)
                throw new TimeoutException($"waited {deadline} for {what}; last read {last}");
            await Task.Delay(10);
        }
    }

    private static void Ensure<T>(Refit.IApiResponse<T> response, string what)
    {
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{what} answered {(int?)response.StatusCode}");
    }
}
