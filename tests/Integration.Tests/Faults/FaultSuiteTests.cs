using System.Diagnostics;
using System.Net;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Integration.Tests.EndToEnd;
using Tokenwise.Simulator;
using Tokenwise.Testing;
using Xunit.Abstractions;

namespace Tokenwise.Integration.Tests.Faults;

/// <summary>
/// ./test.sh --faults (not in the default run: it restarts the PostgreSQL and RabbitMQ every other test shares).
/// A company is sent at load while every service is killed and restarted, RabbitMQ and PostgreSQL are restarted, and
/// Outcomes is kept down until its queue backs up; then the ground truth must hold exactly, budgets and breakers included.
/// </summary>
[Trait("Category", "Faults")]
public sealed class FaultSuiteTests(CompanySystem system, ITestOutputHelper output) : IClassFixture<CompanySystem>
{
    private static async Task Run(string command)
    {
        using var process = Process.Start(
            new ProcessStartInfo("bash", ["-c", command])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }
        )!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' failed: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Samples something at a fixed pace until stopped (a watcher, not a wait for a condition).</summary>
    private static Task Every(TimeSpan pace, Func<Task> sample, CancellationToken stop) =>
        Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await sample();
                await Task.Delay(pace);
            }
        });

    private const string OutcomesQueue = "outcomes-observing";

    // Four weeks of a 60-engineer company (about 40,000 usage events) at 450 events/s keep the sender busy for longer
    // than the eleven faults take to inject and recover from (about 75 s), so every fault meets load. Under 30 days:
    // Outcomes judges quality over the last 30 days, and the ground truth over the whole company.
    private const int LoadEventsPerSecond = 450;

    // Enough to keep every service at work while the last faults are injected, little enough not to bury the checks.
    private const int FillerEventsPerSecond = 100;

    [Fact]
    public async Task Crashes_and_outages_under_load_lose_nothing_and_count_nothing_twice()
    {
        var company = new Company(new CompanyOptions(Seed: 23, Engineers: 60, Teams: 5, Days: 28));
        var truth = GroundTruth.Compute(company, PriceFile.Load(CompanyChecks.PriceBookFile()));
        await CompanyBudgets.SetAsync(system.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default), truth);
        var poison = await PoisonSender.StartAsync(system);
        // Every answer the sender retried, as the SDK saw it: a 503 must say when to come back.
        var retried = new System.Collections.Concurrent.ConcurrentBag<RetriedAttempt>();
        var ingest = system.Ingestion.Client<IIngestionApi>(
            retry: new RetryPolicy(60, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))
            {
                OnRetry = retried.Add,
            }
        );
        var recoveries = new List<(string Fault, TimeSpan Recovery, bool WentRed, string? Load)>();
        var sending = new Sender(
            ingest,
            company.Options.Seed,
            CompanySystem.GitHubSecret,
            CompanySystem.PagerDutySecret,
            eventsPerSecond: LoadEventsPerSecond
        ).SendAsync(company);
        var filler = new FillerSender(system, FillerEventsPerSecond);
        filler.StartAfter(sending);

        var random = new Random(company.Options.Seed);
        uint backlog = 0;
        var probes = new System.Collections.Concurrent.ConcurrentBag<(int Status, TimeSpan? RetryAfter)>();
        async Task Fault(string name, Func<Task> inject)
        {
            // At a random moment (seeded, so a failing run can be repeated).
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 2_000)));
            var watch = Stopwatch.StartNew();
            // Ingestion's readiness, watched from just before the fault until it is green again after it.
            using var http = new HttpClient
            {
                BaseAddress = system.Ingestion.BaseAddress,
                Timeout = TimeSpan.FromSeconds(2),
            };
            async Task<HttpStatusCode> Ready()
            {
                try
                {
                    return (await http.GetAsync("/health/ready")).StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }
            using var stop = new CancellationTokenSource();
            var wentRed = false;
            var watching = Every(
                TimeSpan.FromMilliseconds(100),
                async () => wentRed |= await Ready() != HttpStatusCode.OK,
                stop.Token
            );
            var load =
                !sending.IsCompleted ? "while sending"
                : filler.IsSending ? "while the filler sent"
                : null;
            await inject();
            await Eventually.Until(
                Ready,
                s => s == HttpStatusCode.OK,
                $"recovery from {name}",
                TimeSpan.FromMinutes(2)
            );
            await stop.CancelAsync();
            await watching;
            recoveries.Add((name, watch.Elapsed, wentRed, load));
        }

        var faults = Task.Run(async () =>
        {
            // Every service killed twice, in a random order.
            var kills = new[]
            {
                ("Accounting", system.Accounting),
                ("Outcomes", system.Outcomes),
                ("Alerting", system.Alerting),
                ("Ingestion", system.Ingestion),
            };
            foreach (var (name, service) in kills.Concat(kills).OrderBy(_ => random.Next()).ToList())
                await Fault(
                    $"SIGKILL {name}",
                    async () =>
                    {
                        await service.KillAsync();
                        await service.RestartAsync();
                    }
                );
            await Fault(
                "RabbitMQ restart",
                () => Run("rabbitmqctl -n rabbit@localhost stop_app && rabbitmqctl -n rabbit@localhost start_app")
            );
            await Fault(
                "PostgreSQL restart",
                async () =>
                {
                    // A reader asks Ingestion something only the database knows while it restarts: the answers it gets.
                    using var stop = new CancellationTokenSource();
                    using var http = new HttpClient
                    {
                        BaseAddress = system.Ingestion.BaseAddress,
                        Timeout = TimeSpan.FromSeconds(2),
                    };
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                        "Bearer",
                        IsolatedEnvironment.BootstrapKey
                    );
                    var probing = Every(
                        TimeSpan.FromMilliseconds(50),
                        async () =>
                        {
                            try
                            {
                                using var answer = await http.GetAsync("/v1/keys");
                                probes.Add(((int)answer.StatusCode, answer.Headers.RetryAfter?.Delta));
                            }
                            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                        },
                        stop.Token
                    );
                    await Run("pg_ctlcluster $(ls /etc/postgresql | sort -n | tail -1) main restart -m fast");
                    await stop.CancelAsync();
                    await probing;
                }
            );
            await Fault(
                "Outcomes down while its queue backs up",
                async () =>
                {
                    await system.Outcomes.KillAsync();
                    await Task.Delay(TimeSpan.FromSeconds(10));
                    backlog = await QueueDepth.OfAsync(system.Environment, OutcomesQueue);
                    await system.Outcomes.RestartAsync();
                }
            );
        });
        await Task.WhenAll(sending, faults);
        await filler.StopAsync();
        var poisoned = await poison.StopAsync();

        var settle = Stopwatch.StartNew();
        try
        {
            await CompanyChecks.AssertMatchesAsync(system, company, truth, ["pipeline service:accounting"]);
            await poison.AssertQuarantinedAsync(poisoned);
        }
        catch
        {
            // What waits where, so a failed run says whether something sat in an error queue or in quarantine.
            var waiting = await PipelineReport.DescribeAsync(system);
            foreach (var line in waiting)
                output.WriteLine(line);
            if (Environment.GetEnvironmentVariable("TOKENWISE_FAULT_REPORT") is { Length: > 0 } failedPath)
                await File.WriteAllLinesAsync(failedPath, waiting);
            throw;
        }
        var report = new List<string>
        {
            $"events sent: {truth.Requests:N0} usage (each retried with its own id until accepted), {company.Outcomes.Count:N0} outcomes",
            $"faults injected: {recoveries.Count}; mismatches against the ground truth: 0 "
                + $"(settled {settle.Elapsed.TotalSeconds:N1} s after the last send)",
        };
        report.AddRange(
            recoveries.Select(r =>
                $"  {r.Fault} ({r.Load ?? "after the last send"}): "
                + $"Ingestion ready after {r.Recovery.TotalSeconds:N1} s{(r.WentRed ? ", red meanwhile" : "")}"
            )
        );
        var unavailable = retried.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        report.Add(
            $"the sender retried {retried.Count:N0} attempts: {unavailable.Count:N0} answered 503 "
                + $"({unavailable.Count(r => r.RetryAfter is not null):N0} with Retry-After), {retried.Count(r => r.Status is null):N0} found no server"
        );
        report.Add(
            $"GET /v1/keys during the PostgreSQL restart: {probes.Count:N0} answers, "
                + string.Join(
                    ", ",
                    probes.GroupBy(p => p.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} × {g.Key}")
                )
                + $"; every 503 with Retry-After: {probes.Where(p => p.Status == 503).All(p => p.RetryAfter is not null)}"
        );
        report.Add(
            $"filler: {filler.Sent:N0} usage events of people outside the company, sent after the company until the last fault"
        );
        report.Add(
            $"poison sender: {poisoned.Accepted.Count:N0} usage events Accounting cannot charge, sent in {poisoned.Requests:N0} requests "
                + $"mixed into the load, each quarantined once; {poisoned.Refused:N0} requests with an invalid item refused with 400, nothing stored"
        );
        report.AddRange(await PipelineReport.DescribeAsync(system));
        report.Add(
            $"{OutcomesQueue} held {backlog:N0} messages after Outcomes had been down 10 s; budgets and breakers as planned: "
                + string.Join(
                    ", ",
                    truth.Budgets.Select(b =>
                        $"{b.ScopeId} {(b.Exhausted ? "exhausted" : string.Join("/", b.FiredThresholds) + " %")}"
                    )
                )
        );
        foreach (var line in report)
            output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("TOKENWISE_FAULT_REPORT") is { Length: > 0 } path)
            await File.WriteAllLinesAsync(path, report);

        // Every fault met the pipeline at work.
        Assert.All(recoveries, r => Assert.True(r.Load is not null, $"{r.Fault} came after the last send"));
        // Outages of the servers turn Ingestion's readiness red, then green again.
        Assert.All(
            recoveries.Where(r => r.Fault.Contains("restart")),
            r => Assert.True(r.WentRed, $"{r.Fault}: readiness never went red")
        );
        // The stopped consumer's queue really backed up, and Outcomes worked it off (the checks above).
        Assert.True(backlog > 0, $"{OutcomesQueue} was empty after Outcomes had been down 10 s");
        // During outages Ingestion answers 503 with Retry-After, never 500: to the sender's retried requests and to a
        // reader who asked while PostgreSQL restarted.
        Assert.All(unavailable, r => Assert.NotNull(r.RetryAfter));
        Assert.Contains(probes, p => p.Status == 503);
        Assert.All(
            probes,
            p =>
                Assert.True(
                    p.Status is 200 or 503 && (p.Status == 200 || p.RetryAfter is not null),
                    $"answered {p.Status}"
                )
        );
        using var metrics = new HttpClient { BaseAddress = system.Ingestion.BaseAddress };
        var text = await metrics.GetStringAsync("/metrics");
        Assert.DoesNotContain(
            text.Split('\n'),
            line =>
                line.StartsWith("http_server_request_duration_seconds_count")
                && line.Contains("http_response_status_code=\"500\"")
        );
    }
}
