using System.Diagnostics;
using System.Globalization;
using Tokenwise.Client;
using Tokenwise.Client.Apis;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The gateway's side of the /v1/check benchmark, run as its own process (as a gateway is), so the service's
/// latency is not mixed with a load generator's scheduling on the same two cores. Prints "p50 p99 p999 lagP99 refused".
/// </summary>
internal static class CheckLoad
{
    public const string Command = "check-load";

    /// <summary>In the child: check-load url key rate seconds.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var api = TokenwiseClients.Create<IAlertingApi>(new Uri(args[1]), args[2], RetryPolicy.None);
        var users = Enumerable.Range(0, 200).Select(i => $"gateway-user-{i}@bench.example").ToList();
        await AlertingBenchmark.CheckAsync(api, users, 500, TimeSpan.FromSeconds(2)); // warm-up
        var (latencies, lag, refused) = await AlertingBenchmark.CheckAsync(api, users, int.Parse(args[3], CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Join(' ', new[] { latencies.Percentile(50), latencies.Percentile(99), latencies.Percentile(99.9), lag.Percentile(99) }
            .Select(v => v.ToString("F3", CultureInfo.InvariantCulture)).Append(refused.ToString(CultureInfo.InvariantCulture))));
        return 0;
    }

    /// <summary>In the benchmark: starts the child against a running Alerting and reads its result line.</summary>
    public static async Task<(double P50, double P99, double P999, double LagP99, int Refused)> MeasureAsync(Uri alerting, string key, int rate, int seconds)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(CheckLoad).Assembly.Location);
        foreach (var arg in new[] { Command, alerting.ToString(), key, rate.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"the check load generator failed ({child.ExitCode}): {output}");
        var v = output.Trim().Split('\n').Last().Split(' ');
        double D(int i) => double.Parse(v[i], CultureInfo.InvariantCulture);
        return (D(0), D(1), D(2), D(3), int.Parse(v[4], CultureInfo.InvariantCulture));
    }
}
