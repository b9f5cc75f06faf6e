using System.Globalization;
using Tokenwise.Accounting;
using Tokenwise.Benchmarks;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

// Usage: dotnet run -c Release --project tests/Benchmarks [-- quick]
// Needs TOKENWISE_POSTGRES / TOKENWISE_RABBITMQ (./benchmark.sh sets them). Prints a markdown table.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var quick = args.Contains("quick");
var scale = quick ? 0.1 : 1.0;
int Scaled(int n) => Math.Max(1, (int)(n * scale));

await using var environment = await IsolatedEnvironment.CreateAsync("bench");
var report = new Report();
var settings = new Dictionary<string, string?> { ["Tokenwise:RateLimit:PerSecond"] = "1000000" };
await using var accounting = await RunningService.StartAsync(AccountingHost.Build, environment, settings);
await using var ingestion = await RunningService.StartAsync(IngestionHost.Build, environment, settings);
var api = ingestion.Client<IIngestionApi>();

Console.Error.WriteLine("baseline: PostgreSQL COPY...");
var copyRows = Scaled(200_000);
var copy = await CopyBaseline.RowsPerSecond(environment.Servers.Postgres, copyRows);
report.Add("PostgreSQL COPY (baseline)", $"{copy:N0} rows/s", $"{copyRows:N0} rows, id text + jsonb, PK + unique index on id");

await IngestBenchmark.Saturate(api, 100, 2_000, 4); // warm-up: JIT, connection pools, Marten's compiled code
foreach (var (batch, total, senders) in new[] { (1, Scaled(5_000), 16), (100, Scaled(50_000), 8), (1000, Scaled(100_000), 4) })
{
    Console.Error.WriteLine($"ingest: batches of {batch}...");
    var (rate, latencies) = await IngestBenchmark.Saturate(api, batch, total, senders);
    report.Add($"POST /v1/usage, batch {batch}", $"{rate:N0} events/s",
        $"{total:N0} events, {senders} senders; request p50 {latencies.Percentile(50):N1} ms, p99 {latencies.Percentile(99):N1} ms; {rate / copy:P0} of COPY");
}

Console.Error.WriteLine("ingest: single events at 200 requests/s...");
var fixedRate = await IngestBenchmark.FixedRate(api, 200, TimeSpan.FromSeconds(quick ? 3 : 15));
report.Add("POST /v1/usage, 1 event at 200 req/s", $"p99 {fixedRate.Percentile(99):N1} ms",
    $"p50 {fixedRate.Percentile(50):N1} ms (goal: p99 < 20 ms)");

report.Print();
