using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
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

    /// <summary>The generator process's side.</summary>
    public static async Task RunAsync(string[] args)
    {
        var (kind, baseAddress) = (args[0], new Uri(args[1]));
        var rate = int.Parse(args[2], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
        // Pointed at a system ./run.sh started, it uses that system's key.
        var key = Environment.GetEnvironmentVariable("TOKENWISE_BOOTSTRAP_KEY") ?? IsolatedEnvironment.BootstrapKey;
        var refused = 0;
        Func<int, Task> request = kind switch
        {
            "check" => CheckRequest(baseAddress, key, () => Interlocked.Increment(ref refused)),
            "usage" => UsageRequest(baseAddress, key),
            _ => throw new ArgumentException($"unknown load {kind}: check or usage"),
        };
        await OpenLoop.RunAsync(Math.Max(1, rate / 2), TimeSpan.FromSeconds(3), request);
        refused = 0;
        var result = await OpenLoop.RunAsync(rate, duration, request);
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
