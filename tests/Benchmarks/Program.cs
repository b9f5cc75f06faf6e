using System.Globalization;
using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Benchmarks;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Outcomes;
using Tokenwise.Testing;

// Usage: ./benchmark.sh [quick] [section]. "system", "scaling", "attribution", "alerting" or "console" runs only that section; a
// number sets how many events the system's sustained phase sends (200,000 unless given), or the console's company
// holds (3,000,000; quick: 300,000).
// Needs TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ (the script sets them).
// Ingestion and Accounting run in this process with the load generator, all on this machine's two cores.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.FirstOrDefault() == LoadGenerator.Command)
{
    await LoadGenerator.RunAsync(args[1..]);
    return;
}
var quick = args.Contains("quick");
var scale = quick ? 0.1 : 1.0;
int Scaled(int n) => Math.Max(1, (int)(n * scale));
var sustainedEvents = args.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
var drainDeadline = TimeSpan.FromMinutes(5);

var report = new Report();
var settings = new Dictionary<string, string?> { ["Tokenwise:RateLimit:PerSecond"] = "1000000" };

// TOKENWISE_BENCH_ENV="NAME=value;NAME=value": extra settings for the services, to try a runtime knob in one run.
foreach (
    var pair in (Environment.GetEnvironmentVariable("TOKENWISE_BENCH_ENV") ?? "").Split(
        ';',
        StringSplitOptions.RemoveEmptyEntries
    )
)
{
    if (pair.Split('=', 2) is not [{ Length: > 0 } name, var value])
        throw new ArgumentException($"TOKENWISE_BENCH_ENV: '{pair}' is not NAME=value");
    settings[name] = value;
}
if (
    args.Contains("attribution")
    || args.Contains("alerting")
    || args.Contains("system")
    || args.Contains("console")
    || args.Contains("scaling")
)
{
    if (args.Contains("console"))
        await ConsoleBenchmark.RunAsync(
            report,
            sustainedEvents > 0 ? sustainedEvents
                : quick ? 300_000
                : 3_000_000
        );
    if (args.Contains("system"))
        await SystemSection();
    if (args.Contains("scaling"))
        await ScalingSection();
    if (args.Contains("attribution"))
        await AttributionSection();
    if (args.Contains("alerting"))
        await AlertingSection();
    report.Print();
    return;
}

await using var environment = await IsolatedEnvironment.CreateAsync("bench");
await using var accounting = await RunningService.StartAsync(AccountingHost.Build, environment, settings);
await using var ingestion = await RunningService.StartAsync(IngestionHost.Build, environment, settings);
var api = ingestion.Client<IIngestionApi>();
var spend = accounting.Client<IAccountingApi>();
long sent = 0;

Console.Error.WriteLine("baseline: PostgreSQL COPY...");
var copyRows = Scaled(200_000);
var copy = await CopyBaseline.RowsPerSecond(environment.Servers.Postgres, copyRows);
report.Add(
    "PostgreSQL COPY (baseline)",
    $"{copy:N0} rows/s",
    $"{copyRows:N0} rows, id text + jsonb, PK + unique index on id"
);

// Ingest alone: Ingestion without its relay, in its own schema, so nothing downstream shares the two cores.
await using (var alone = await IsolatedEnvironment.CreateAsync("bench-ingest"))
await using (
    var ingestOnly = await RunningService.StartAsync(
        IngestionHost.Build,
        alone,
        new Dictionary<string, string?>(settings) { ["Tokenwise:RunDaemon"] = "false" }
    )
)
{
    var onlyApi = ingestOnly.Client<IIngestionApi>();
    await IngestBenchmark.Saturate(onlyApi, 100, 2_000, 4);
    var single = await IngestBenchmark.FixedRate(onlyApi, 200, TimeSpan.FromSeconds(quick ? 3 : 15));
    report.Add(
        "POST /v1/usage alone, 1 event per request at 200 req/s",
        $"p99 {single.Percentile(99):N1} ms",
        $"p50 {single.Percentile(50):N1} ms; relay off; goal p99 < 20 ms"
    );
    foreach (var (batch, total, senders) in new[] { (100, Scaled(50_000), 8), (1000, Scaled(100_000), 4) })
    {
        Console.Error.WriteLine($"ingest alone: batches of {batch}...");
        var (rate, latencies) = await IngestBenchmark.Saturate(onlyApi, batch, total, senders);
        report.Add(
            $"POST /v1/usage alone, batches of {batch}",
            $"{rate:N0} events/s",
            $"{total:N0} events, {senders} senders, relay off; request p50 {latencies.Percentile(50):N1} ms, p99 {latencies.Percentile(99):N1} ms; {rate / copy:P0} of COPY"
        );
    }
}

await IngestBenchmark.Saturate(api, 100, 2_000, 4); // warm-up: JIT, connection pools, compiled queries
sent += 2_000;
await FreshnessBenchmark.Drain(spend, sent, drainDeadline);

Console.Error.WriteLine("ingest: single events at 200 requests/s...");
var rateSeconds = quick ? 3 : 15;
var fixedRate = await IngestBenchmark.FixedRate(api, 200, TimeSpan.FromSeconds(rateSeconds));
sent += 200 * rateSeconds;
report.Add(
    "POST /v1/usage, 1 event per request at 200 req/s",
    $"p99 {fixedRate.Percentile(99):N1} ms",
    $"p50 {fixedRate.Percentile(50):N1} ms; goal p99 < 20 ms; whole pipeline running"
);
await FreshnessBenchmark.Drain(spend, sent, drainDeadline);

Console.Error.WriteLine("freshness at 2,000 events/s...");
var freshSeconds = quick ? 5 : 20;
var freshness = await FreshnessBenchmark.Run(api, spend, 2_000, 100, TimeSpan.FromSeconds(freshSeconds), sent);
sent += 2_000 * freshSeconds;
report.Add(
    "freshness at 2,000 events/s (202 → in /v1/spend)",
    $"p95 {freshness.Percentile(95):N0} ms",
    $"p50 {freshness.Percentile(50):N0} ms; batches of 100 for {freshSeconds} s; goal p95 < 1 s"
);
await FreshnessBenchmark.Drain(spend, sent, drainDeadline);

foreach (
    var (batch, total, senders) in new[] { (1, Scaled(5_000), 8), (100, Scaled(50_000), 8), (1000, Scaled(100_000), 4) }
)
{
    Console.Error.WriteLine($"ingest: batches of {batch}...");
    var (rate, latencies) = await IngestBenchmark.Saturate(api, batch, total, senders);
    sent += total;
    var drained = await FreshnessBenchmark.Drain(spend, sent, drainDeadline);
    report.Add(
        $"POST /v1/usage with the pipeline, batches of {batch}",
        $"{rate:N0} events/s",
        $"{total:N0} events, {senders} senders; request p50 {latencies.Percentile(50):N1} ms, p99 {latencies.Percentile(99):N1} ms; "
            + $"{rate / copy:P0} of COPY; all charged {drained.TotalSeconds:N1} s after the last 202"
    );
}

await AttributionSection();
await AlertingSection();
await SystemSection();
report.Print();

// One and two instances of every service behind nginx: throughput, and the latency gateways wait for.
Task ScalingSection() =>
    ScalingBenchmark.RunAsync(
        report,
        settings,
        Scaled(40_000),
        sustainedEvents > 0 ? sustainedEvents : Scaled(200_000),
        TimeSpan.FromSeconds(quick ? 3 : 15)
    );

// Outcomes with Ingestion and Accounting in a fresh schema, so its tables hold only this section's data.
async Task AttributionSection()
{
    await using var outcomesEnvironment = await IsolatedEnvironment.CreateAsync("bench-outcomes");
    await using var outcomes = await RunningService.StartAsync(OutcomesHost.Build, outcomesEnvironment, settings);
    await using var charging = await RunningService.StartAsync(AccountingHost.Build, outcomesEnvironment, settings);
    await using var intake = await RunningService.StartAsync(IngestionHost.Build, outcomesEnvironment, settings);
    var bench = new AttributionBenchmark(intake.Client<IIngestionApi>(), outcomes.Client<IOutcomesApi>(), 20);
    Console.Error.WriteLine("attribution: merging PRs...");
    await bench.MergeAsync();
    var seconds = quick ? 5 : 20;
    Console.Error.WriteLine("attribution: 2,000 events/s...");
    var fresh = await bench.SteadyAsync(2_000, 100, TimeSpan.FromSeconds(seconds));
    report.Add(
        "attribution freshness at 2,000 events/s (202 → on GET /v1/prs)",
        $"p95 {fresh.Percentile(95):N0} ms",
        $"p50 {fresh.Percentile(50):N0} ms, max {fresh.Percentile(100):N0} ms; batches of 100 for {seconds} s, each aimed at one of 20 PRs by all four rules; "
            + "Ingestion, Accounting and Outcomes running"
    );
    Console.Error.WriteLine("attribution: saturating...");
    var total = Scaled(50_000);
    var rate = await bench.SaturateAsync(1_000, total, 4);
    report.Add(
        "attribution throughput (sent → every PR complete)",
        $"{rate:N0} events/s",
        $"{total:N0} events in batches of 1,000, 4 senders"
    );
}

// Alerting as a process of its own (as ./run.sh runs it, workstation GC), with Ingestion and Accounting in this process
// to open breakers and to carry the runaway usage. The evaluator runs at its default period (5 s).
async Task AlertingSection()
{
    await using var alertingEnvironment = await IsolatedEnvironment.CreateAsync("bench-alerting");
    await using var alerting = await ServiceProcess.StartAsync("Alerting", alertingEnvironment, "Release", settings);
    await using var charging = await RunningService.StartAsync(AccountingHost.Build, alertingEnvironment, settings);
    await using var intake = await RunningService.StartAsync(IngestionHost.Build, alertingEnvironment, settings);
    var alertingApi = alerting.Client<IAlertingApi>();
    var intakeApi = intake.Client<IIngestionApi>();

    Console.Error.WriteLine("alerting: opening breakers for half the users...");
    var users = AlertingBenchmark.GatewayUsers;
    await AlertingBenchmark.OpenBreakersAsync(alertingEnvironment, intakeApi, charging.Client<IAccountingApi>());
    await AlertingBenchmark.CheckAsync(alertingApi, users, 500, TimeSpan.FromSeconds(3)); // warm-up: JIT, connections
    var checkSeconds = quick ? 3 : 15;
    Console.Error.WriteLine("alerting: /v1/check at 1,000 requests/s...");
    var (checks, lag, refused) = await AlertingBenchmark.CheckAsync(
        alertingApi,
        users,
        1_000,
        TimeSpan.FromSeconds(checkSeconds)
    );
    report.Add(
        "GET /v1/check at 1,000 req/s",
        $"p99 {checks.Percentile(99):N2} ms",
        $"p50 {checks.Percentile(50):N2} ms, p99.9 {checks.Percentile(99.9):N2} ms (sent → answered; Alerting in its own process); "
            + $"generator lag p99 {lag.Percentile(99):N2} ms; {checkSeconds} s, 200 users, {refused:N0} refused (open breakers); goal p99 < 2 ms"
    );

    Console.Error.WriteLine("alerting: runaway alert latency...");
    await alertingApi.TuneRuleAsync(
        "runaway",
        new Dictionary<string, object> { ["requestsPerMinute"] = 30, ["minutes"] = 1 }
    );
    await using var subscriber = await AlertSubscriber.BindAsync(alertingEnvironment, "alert.runaway.#");
    var trials = quick ? 3 : 10;
    var runaway = await AlertingBenchmark.RunawayAsync(intakeApi, subscriber, 31, trials);
    report.Add(
        "runaway alert latency (usage 202 → message on tokenwise.alerts)",
        $"max {runaway.Percentile(100):N0} ms",
        $"p50 {runaway.Percentile(50):N0} ms over {trials} runaway sessions, one after another; rule tuned to 30 requests/min for 1 min; "
            + "evaluator every 5 s; goal < 10 s"
    );
}

// The whole system: the four services as processes of their own (as ./run.sh runs them), the load from this one.
async Task SystemSection()
{
    await using var systemEnvironment = await IsolatedEnvironment.CreateAsync("bench-system");
    Console.Error.WriteLine("system: raw RabbitMQ baseline...");
    var rawMessages = Scaled(100_000);
    var raw = await RabbitBaseline.MessagesPerSecond(systemEnvironment.RabbitMq, rawMessages);
    report.Add(
        "RabbitMQ publish, one message per event (baseline)",
        $"{raw.Published:N0} msg/s",
        $"{rawMessages:N0} persistent messages with publisher confirms, 8 publishers; consumed (acks per 100) at {raw.Consumed:N0} msg/s"
    );
    var copyRows = Scaled(200_000);
    var copyRate = await CopyBaseline.RowsPerSecond(systemEnvironment.Servers.Postgres, copyRows);
    report.Add(
        "PostgreSQL COPY of the same rows (baseline, this section)",
        $"{copyRate:N0} rows/s",
        $"{copyRows:N0} rows"
    );

    var processes = new List<ServiceProcess>();
    try
    {
        foreach (var service in new[] { "Accounting", "Outcomes", "Alerting", "Ingestion" })
            processes.Add(await ServiceProcess.StartAsync(service, systemEnvironment, "Release", settings));
        var ingest = processes[3].Client<IIngestionApi>();
        var spendApi = processes[0].Client<IAccountingApi>();
        var cpu = new ProcessCpu(processes.ToDictionary(p => p.Service, p => p.ProcessId));
        Console.Error.WriteLine("system: warm-up and sustained throughput...");
        var total = sustainedEvents > 0 ? sustainedEvents : Scaled(200_000);
        var sustained = await SustainedPhase.RunAsync(systemEnvironment, ingest, cpu, Scaled(40_000), total);
        report.Add(
            "whole system, sustained (accepted → taken in by Accounting, Outcomes and Alerting)",
            $"{sustained.EventsPerSecond:N0} events/s",
            $"{total:N0} events in batches of 1,000, 4 senders, over {sustained.Elapsed.TotalSeconds:N0} s; accepted at {sustained.AcceptedPerSecond:N0} events/s; "
                + $"done after the last 202: {DoneAfter(sustained)}; {sustained.EventsPerSecond / raw.Published:P0} of raw RabbitMQ publish; goal ≥ 10,000 events/s"
        );
        report.Add(
            "whole system, CPU per 1,000 events over the sustained phase",
            CpuPerThousand(sustained, total),
            CpuDetail(sustained, total)
        );

        Console.Error.WriteLine("system: freshness at 2,000 events/s...");
        var charged = await FreshnessBenchmark.ChargedRequests(spendApi);
        var seconds = quick ? 5 : 20;
        var fresh = await FreshnessBenchmark.Run(ingest, spendApi, 2_000, 100, TimeSpan.FromSeconds(seconds), charged);
        report.Add(
            "whole system, freshness at 2,000 events/s (202 → in /v1/spend)",
            $"p95 {fresh.Percentile(95):N0} ms",
            $"p50 {fresh.Percentile(50):N0} ms; batches of 100 for {seconds} s; four service processes; goal p95 < 1 s"
        );
    }
    finally
    {
        foreach (var process in processes)
            await process.DisposeAsync();
    }
}

static string DoneAfter(SustainedRun run) =>
    string.Join(", ", run.DoneAfterLastAccept.Select(b => $"{b.Key} {b.Value.TotalSeconds:N1} s"));

static string CpuPerThousand(SustainedRun run, int total) =>
    $"{ProcessCpu.Total(run.CpuSeconds) * 1_000 / total:N3} CPU-s";

static string CpuDetail(SustainedRun run, int total) =>
    $"{ProcessCpu.Total(run.CpuSeconds):N1} CPU-s for {total:N0} events: "
    + string.Join(", ", run.CpuSeconds.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N1}"))
    + $"; after a warm-up of {run.WarmUpEvents:N0} events in {run.WarmUpRounds} rounds (JIT {run.LastWarmUpRound.GetValueOrDefault(ProcessCpu.Jit):N1} of "
    + $"{ProcessCpu.Total(run.LastWarmUpRound):N1} CPU-s in the last); two cores give 2 CPU-s per second";
