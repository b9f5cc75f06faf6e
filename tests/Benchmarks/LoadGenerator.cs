using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Refit;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>What a load generator in its own process measured, as it prints it.</summary>
internal sealed record GeneratedLoad(
    int Requests,
    double P50,
    double P99,
    double P999,
    double Max,
    double LagP99,
    int Refused,
    IReadOnlyDictionary<int, int> SlowestPercentBySecond
)
{
    /// <summary>"second:count" of the slowest 1 %, to see whether they come in bursts and how far apart.</summary>
    public string SlowestPercent() => string.Join(" ", SlowestPercentBySecond.Select(s => $"{s.Key}s:{s.Value}"));
}

/// <summary>
/// The benchmark's open-loop client (<see cref="OpenLoop"/>) run as a process of its own, so its threads, GC and
/// timers are not the measured process's: <c>Tokenwise.Benchmarks generate check|usage URL RATE SECONDS</c>. It
/// warms up for 3 s at half the rate, then prints one JSON line of what it measured.
/// </summary>
internal static class LoadGenerator
{
    public const string Command = "generate";

    /// <summary>Starts the generator and waits for its line. Latency is from when each request was due.</summary>
    public static async Task<GeneratedLoad> RunInOwnProcessAsync(
        string kind,
        Uri baseAddress,
        int requestsPerSecond,
        TimeSpan duration
    )
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (
            var argument in new[]
            {
                Assembly.GetEntryAssembly()!.Location,
                Command,
                kind,
                baseAddress.ToString(),
                requestsPerSecond.ToString(CultureInfo.InvariantCulture),
                duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            }
        )
            start.ArgumentList.Add(argument);
        // A generator at 1,000 requests/s needs no server GC's heaps per core, and its pauses would be its own lag.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["TOKENWISE_BOOTSTRAP_KEY"] = IsolatedEnvironment.BootstrapKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the load generator exited with {process.ExitCode}: {await errors}");
        return JsonSerializer.Deserialize<GeneratedLoad>((await output).Trim())!;
    }

    /// <summary>
    /// The generator process's side: <c>check|usage URL RATE SECONDS [sockets|refit]</c>. The default client is
    /// <see cref="ConstantRate"/>; <c>refit</c> runs the SDK's client in <see cref="OpenLoop"/> instead, to compare.
    /// </summary>
    public static async Task RunAsync(string[] args)
    {
        var (kind, baseAddress) = (args[0], new Uri(args[1]));
        var rate = int.Parse(args[2], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
        var client = args.Length > 4 ? args[4] : "sockets";
        // Pointed at a system ./run.sh started, it uses that system's key.
        var key = Environment.GetEnvironmentVariable("TOKENWISE_BOOTSTRAP_KEY") ?? IsolatedEnvironment.BootstrapKey;
        var (warmUpRate, warmUp) = (Math.Max(1, rate / 2), TimeSpan.FromSeconds(3));
        var (result, refused) = client switch
        {
            "sockets" => RunWithSockets(kind, baseAddress, key, (warmUpRate, warmUp), (rate, duration)),
            "refit" => await RunWithRefitAsync(kind, baseAddress, key, (warmUpRate, warmUp), (rate, duration)),
            _ => throw new ArgumentException($"unknown client {client}: sockets or refit"),
        };
        Console.WriteLine(
            JsonSerializer.Serialize(
                new GeneratedLoad(
                    (int)(rate * duration.TotalSeconds),
                    result.FromDue.Percentile(50),
                    result.FromDue.Percentile(99),
                    result.FromDue.Percentile(99.9),
                    result.FromDue.Percentile(100),
                    result.Lag.Percentile(99),
                    refused,
                    result.SlowBySecond(99)
                )
            )
        );
    }

    /// <summary>Gateways hold a few connections each; eight kept-alive connections share the rate.</summary>
    private const int Connections = 8;

    private static (OpenLoopResult Result, int Refused) RunWithSockets(
        string kind,
        Uri baseAddress,
        string key,
        (int Rate, TimeSpan Duration) warmUp,
        (int Rate, TimeSpan Duration) measured
    )
    {
        var warmUpCount = (int)(warmUp.Rate * warmUp.Duration.TotalSeconds);
        var count = warmUpCount + (int)(measured.Rate * measured.Duration.TotalSeconds);
        var (requests, expectedStatus) = kind switch
        {
            "check" => (CheckRequests(baseAddress, key), 200),
            "usage" => (UsageRequests(baseAddress, key, count), 202),
            _ => throw new ArgumentException($"unknown load {kind}: check or usage"),
        };
        string? firstUnexpected = null;
        ConstantRate.Outcome Judge(int n, ReadOnlySpan<byte> answer)
        {
            if (ConstantRate.StatusCode(answer) != expectedStatus)
            {
                Interlocked.CompareExchange(ref firstUnexpected, Encoding.UTF8.GetString(answer), null);
                return ConstantRate.Outcome.Unexpected;
            }
            return answer.IndexOf("\"allow\":false"u8) >= 0
                ? ConstantRate.Outcome.Refused
                : ConstantRate.Outcome.Expected;
        }
        ConstantRate.Run(baseAddress, warmUp.Rate, warmUp.Duration, Connections, requests, Judge);
        var (result, refused, unexpected) = ConstantRate.Run(
            baseAddress,
            measured.Rate,
            measured.Duration,
            Connections,
            n => requests(warmUpCount + n),
            Judge
        );
        if (unexpected > 0)
            throw new InvalidOperationException(
                $"{unexpected} answers were not {expectedStatus}, the first: {firstUnexpected}"
            );
        return (result, refused);
    }

    /// <summary>A gateway's check for each of the benchmark's gateway users, as the SDK sends it.</summary>
    private static Func<int, byte[]> CheckRequests(Uri baseAddress, string key)
    {
        var users = AlertingBenchmark
            .GatewayUsers.Select(user =>
                Encoding.ASCII.GetBytes(
                    $"GET /v1/check?user={Uri.EscapeDataString(user)}&model=gpt-4.1 HTTP/1.1\r\n"
                        + $"Host: {baseAddress.Authority}\r\nAuthorization: Bearer {key}\r\n\r\n"
                )
            )
            .ToArray();
        return n => users[n % users.Length];
    }

    /// <summary>One usage event per request, each its own id, serialized before the run as the SDK would.</summary>
    private static Func<int, byte[]> UsageRequests(Uri baseAddress, string key, int count)
    {
        var run = IngestBenchmark.NewRun();
        var json = SystemTextJsonContentSerializer.GetDefaultJsonSerializerOptions();
        var requests = Enumerable
            .Range(0, count)
            .Select(n =>
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(Workload.Event(run, n), json);
                var head = Encoding.ASCII.GetBytes(
                    $"POST /v1/usage HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nAuthorization: Bearer {key}\r\n"
                        + $"Content-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n"
                );
                return (byte[])[.. head, .. body];
            })
            .ToArray();
        return n => requests[n];
    }

    private static async Task<(OpenLoopResult Result, int Refused)> RunWithRefitAsync(
        string kind,
        Uri baseAddress,
        string key,
        (int Rate, TimeSpan Duration) warmUp,
        (int Rate, TimeSpan Duration) measured
    )
    {
        var refused = 0;
        Func<int, Task> request = kind switch
        {
            "check" => CheckRequest(baseAddress, key, () => Interlocked.Increment(ref refused)),
            "usage" => UsageRequest(baseAddress, key),
            _ => throw new ArgumentException($"unknown load {kind}: check or usage"),
        };
        await OpenLoop.RunAsync(warmUp.Rate, warmUp.Duration, request);
        refused = 0;
        return (await OpenLoop.RunAsync(measured.Rate, measured.Duration, request), refused);
    }

    private static Func<int, Task> CheckRequest(Uri baseAddress, string key, Action refused)
    {
        var alerting = TokenwiseClients.Create<IAlertingApi>(baseAddress, key);
        return async n =>
        {
            var response = await alerting.CheckAsync(
                AlertingBenchmark.GatewayUsers[n % AlertingBenchmark.GatewayUsers.Count],
                model: "gpt-4.1"
            );
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"check answered {(int?)response.StatusCode}");
            if (!response.Content!.Allow)
                refused();
        };
    }

    private static Func<int, Task> UsageRequest(Uri baseAddress, string key)
    {
        var ingestion = TokenwiseClients.Create<IIngestionApi>(baseAddress, key);
        var run = IngestBenchmark.NewRun();
        return async n =>
        {
            var response = await ingestion.RecordUsageAsync(Workload.Event(run, n));
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"ingest answered {(int?)response.StatusCode}");
        };
    }
}
