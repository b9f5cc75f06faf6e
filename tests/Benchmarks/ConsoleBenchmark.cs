using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Refit;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The console's pages over a company with millions of usage events stored: 400 people in 20 teams, a month of usage
/// from three tools and four models, 3,000 merged PRs, a budget per team. Every service and the console run as
/// processes of their own (as ./run.sh runs them); a client in this process signs in with the admin key and times
/// each page, one request at a time. The baseline is one API answer the overview needs, timed the same way.
/// </summary>
internal static partial class ConsoleBenchmark
{
    private const int People = 400,
        Teams = 20,
        Prs = 3_000,
        Timed = 20;
    private static readonly string[] Models =
    [
        "claude-sonnet-4-5-20250929",
        "gpt-4.1",
        "gemini-2.5-pro",
        "claude-haiku-4-5",
    ];
    private static readonly string[] Tools = ["claude-code", "codex", "gateway"];

    private static string Person(long n) => $"dev-{n % People}@bench.example";

    private static string TeamOf(long n) => $"team-{n % People % Teams}";

    public static async Task RunAsync(Report report, long events)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tokenwise:RateLimit:PerSecond"] = "1000000",
            ["Tokenwise:Alerting:EvaluateEverySeconds"] = "5",
        };
        await using var environment = await IsolatedEnvironment.CreateAsync("bench-console");
        var services = new List<ServiceProcess>();
        try
        {
            foreach (var name in new[] { "Accounting", "Outcomes", "Alerting", "Ingestion" })
                services.Add(await ServiceProcess.StartAsync(name, environment, "Release", settings));
            var (accounting, outcomes, alerting, ingestion) = (services[0], services[1], services[2], services[3]);
            var ingest = ingestion.Client<IIngestionApi>(retry: RetryPolicy.Default);
            var spend = accounting.Client<IAccountingApi>(retry: RetryPolicy.Default);

            Console.Error.WriteLine(
                $"console: directory, budgets, {events:N0} usage events over 30 days, {Prs:N0} PRs..."
            );
            await Parallel.ForEachAsync(
                Enumerable.Range(0, People),
                new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, ct) =>
                {
                    var set = await ingest.SetDirectoryUserAsync(
                        Person(i),
                        new DirectoryUserRequest(null, Person(i), TeamOf(i), $"lead-{i % Teams}@bench.example", null),
                        ct
                    );
                    if (!set.IsSuccessStatusCode)
                        throw new InvalidOperationException($"directory answered {(int?)set.StatusCode}");
                }
            );
            for (var t = 0; t < Teams; t++)
                await spend.SetBudgetAsync("team", $"team-{t}", new BudgetRequest(2_000m + 100m * t));

            var now = DateTimeOffset.UtcNow;
            var run = IngestBenchmark.NewRun();
            var minutes = 30 * 24 * 60;
            long next = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(
                Enumerable
                    .Range(0, 4)
                    .Select(async _ =>
                    {
                        while (true)
                        {
                            var start = Interlocked.Add(ref next, 1000) - 1000;
                            if (start >= events)
                                return;
                            var batch = Enumerable
                                .Range(0, (int)Math.Min(1000, events - start))
                                .Select(i => start + i)
                                .Select(n => new UsageEvent
                                {
                                    Id = $"{run}-{n}",
                                    // Oldest first, as usage arrives: the charge ledger's time index is a BRIN.
                                    OccurredAt = now.AddMinutes(-minutes + (double)n * minutes / events).AddSeconds(-1),
                                    User = Person(n),
                                    Model = Models[n % Models.Length],
                                    Tool = Tools[n / People % Tools.Length],
                                    InputTokens = 800 + n % 1000,
                                    CacheReadTokens = 20_000 + n % 5000,
                                    OutputTokens = 200 + n % 300,
                                    SessionId = $"s-{n % 5000}",
                                    Repo = $"acme/r{n % 10}",
                                })
                                .ToList();
                            var answer = await ingest.RecordUsageBatchAsync(batch);
                            if (answer.StatusCode != HttpStatusCode.Accepted)
                                throw new InvalidOperationException($"ingest answered {(int?)answer.StatusCode}");
                        }
                    })
            );
            for (var start = 0; start < Prs; start += 100)
                await ingest.RecordOutcomesAsync(
                    Enumerable
                        .Range(start, 100)
                        .Select(i => new OutcomeEvent
                        {
                            Id = $"{run}-pr-{i}",
                            Kind = "pr_merged",
                            OccurredAt = now.AddMinutes(-(i * 631 % minutes)),
                            Repo = $"acme/r{i % 10}",
                            PrNumber = i + 1,
                            User = Person(i * 7),
                            Sha = $"{i:x8}abcd",
                            AiAssisted = i % 3 != 0,
                            LinesAdded = 10 + i * 37 % 600,
                            LinesDeleted = i * 13 % 90,
                        })
                        .ToList()
                );
            Console.Error.WriteLine(
                $"console: sent in {watch.Elapsed.TotalSeconds:N0} s; waiting for every service..."
            );
            await SystemProgress.DrainAsync(environment, run, events, 0, TimeSpan.FromMinutes(30));
            // Pages are timed on a settled system: attribution of the merges and every other projection caught up,
            // so background work does not share the machine with the requests being timed.
            await SettledAsync(environment, TimeSpan.FromMinutes(30));

            await using var console = await ServiceProcess.StartAsync(
                "Console",
                environment,
                "Release",
                new Dictionary<string, string?>
                {
                    ["Tokenwise:Console:Ingestion"] = ingestion.BaseAddress.ToString(),
                    ["Tokenwise:Console:Accounting"] = accounting.BaseAddress.ToString(),
                    ["Tokenwise:Console:Outcomes"] = outcomes.BaseAddress.ToString(),
                    ["Tokenwise:Console:Alerting"] = alerting.BaseAddress.ToString(),
                    ["Tokenwise:Console:ServiceKey"] = IsolatedEnvironment.BootstrapKey,
                }
            );
            using var browser = new HttpClient(
                new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }
            )
            {
                BaseAddress = console.BaseAddress,
            };
            await SignInAsync(browser);

            var apiBaseline = await TimeAsync(
                () => spend.GetSpendAsync("team", now.ToString("yyyy-MM-01"), now.ToString("yyyy-MM-dd")),
                r => (int?)r.StatusCode == 200
            );
            report.Add(
                "console baseline: GET /v1/spend?groupBy=team, this month",
                $"p95 {apiBaseline.Percentile(95):N0} ms",
                $"p50 {apiBaseline.Percentile(50):N0} ms; {Timed} requests one at a time, {events:N0} events stored"
            );
            // The overview's own reads, each timed alone, so a slow overview points at the answer that makes it slow.
            var outcomesApi = outcomes.Client<IOutcomesApi>(retry: RetryPolicy.Default);
            var alertingApi = alerting.Client<IAlertingApi>(retry: RetryPolicy.Default);
            var today = now.ToString("yyyy-MM-dd");
            var weeks8 = IsoWeeks.EightWeeksTo(DateOnly.FromDateTime(now.UtcDateTime));
            var overviewReads = new (string Name, Func<Task<IDisposable>> Read)[]
            {
                (
                    "GET /v1/spend?groupBy=model&interval=day, 30 days",
                    async () =>
                        await spend.GetSpendAsync("model", now.AddDays(-29).ToString("yyyy-MM-dd"), today, "day")
                ),
                (
                    "GET /v1/forecast?groupBy=team&period=month",
                    async () => await spend.GetSpendForecastAsync("team", "month")
                ),
                ("GET /v1/budgets", async () => await spend.ListBudgetsAsync()),
                (
                    "GET /v1/adoption?groupBy=team&interval=week, 8 weeks (with the organisation's rows)",
                    async () => await spend.GetAdoptionAsync("team", "week", weeks8.ToString("yyyy-MM-dd"), today)
                ),
                (
                    "GET /v1/efficiency?groupBy=team, this month",
                    async () => await outcomesApi.GetEfficiencyAsync("team", now.ToString("yyyy-MM-01"), today)
                ),
                ("GET /v1/alerts", async () => await alertingApi.ListAlertsAsync()),
            };
            foreach (var (name, read) in overviewReads)
            {
                var timed = await TimeAsync(read, r => (int?)((IApiResponse)r).StatusCode == 200);
                report.Add(
                    $"console overview read: {name}",
                    $"p95 {timed.Percentile(95):N0} ms",
                    $"p50 {timed.Percentile(50):N0} ms; one at a time"
                );
            }
            string[] pages =
            [
                "/",
                "/?by=model",
                "/teams",
                "/teams/team-3",
                $"/people/{Uri.EscapeDataString(Person(3))}",
                "/review",
                "/value",
                "/prs",
                "/budgets",
                "/alerts",
                "/breakers",
                "/prices",
                "/pipeline",
            ];
            foreach (var page in pages)
            {
                Console.Error.WriteLine($"console: timing {page}...");
                var timed = await TimeAsync(
                    () => browser.GetAsync(page),
                    r =>
                        r.StatusCode == HttpStatusCode.OK
                            ? true
                            : throw new InvalidOperationException($"{page} answered {(int)r.StatusCode}")
                );
                var bytes = (await (await browser.GetAsync(page)).Content.ReadAsByteArrayAsync()).Length;
                report.Add(
                    $"console page {page}",
                    $"p95 {timed.Percentile(95):N0} ms",
                    $"p50 {timed.Percentile(50):N0} ms; {bytes / 1024.0:N0} KB of HTML; goal p95 < 300 ms"
                );
            }
        }
        finally
        {
            foreach (var service in services)
                await service.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits until, in every service's schema, each daemon subscription has reached the last event stored (the
    /// daemon's own HighWater* rows are marks, not subscriptions).
    /// </summary>
    private static async Task SettledAsync(IsolatedEnvironment environment, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        foreach (var service in new[] { "ingestion", "accounting", "outcomes", "alerting" })
        {
            var schema = environment.Schema(service);
            while (true)
            {
                await using var connection = new NpgsqlConnection(environment.Servers.Postgres);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    $"""
                    with last as (select coalesce(max(seq_id), 0) as seq from {schema}.mt_events)
                    select last.seq - coalesce((
                      select min(last_seq_id)
                      from {schema}.mt_event_progression
                      where name not like 'HighWater%'), last.seq)
                    from last
                    """,
                    connection
                );
                var behind = (long)(await command.ExecuteScalarAsync())!;
                if (behind <= 0)
                    break;
                if (watch.Elapsed > deadline)
                    throw new TimeoutException(
                        $"{service}'s projections were {behind:N0} events behind after {deadline}"
                    );
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
        Console.Error.WriteLine(
            $"console: every projection caught up {watch.Elapsed.TotalSeconds:N0} s after the drain"
        );
    }

    /// <summary>Three untimed requests, then <see cref="Timed"/> timed ones, one at a time.</summary>
    private static async Task<Latencies> TimeAsync<T>(Func<Task<T>> request, Func<T, bool> ok)
    {
        var latencies = new Latencies();
        for (var i = 0; i < 3 + Timed; i++)
        {
            var watch = Stopwatch.StartNew();
            var answer = await request();
            watch.Stop();
            if (!ok(answer))
                throw new InvalidOperationException($"a timed request failed: {answer}");
            if (i >= 3)
                latencies.Add(watch.Elapsed);
            (answer as IDisposable)?.Dispose();
        }
        return latencies;
    }

    private static async Task SignInAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("/signin");
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var answer = await browser.PostAsync(
            "/signin?handler=Key",
            new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["apiKey"] = IsolatedEnvironment.BootstrapKey,
                    ["__RequestVerificationToken"] = token,
                }
            )
        );
        if (answer.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"console sign-in answered {(int)answer.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
