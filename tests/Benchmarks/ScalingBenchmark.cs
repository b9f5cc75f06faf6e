using Tokenwise.Client.Apis;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The whole system with one and then two instances of every service behind nginx (infra/load-balancer.sh, as
/// <c>./run.sh --instances N</c> runs it), each in a fresh schema on the same PostgreSQL and RabbitMQ: sustained
/// throughput, then the latency gateways wait for, measured by a load generator in its own process.
/// </summary>
internal static class ScalingBenchmark
{
    private static readonly string[] Services = ["Accounting", "Outcomes", "Alerting", "Ingestion"];

    public static async Task RunAsync(
        Report report,
        IReadOnlyDictionary<string, string?> settings,
        int warmUpRound,
        int total,
        TimeSpan latencyDuration
    )
    {
        var throughput = new Dictionary<int, double>();
        await using var fixedAnswers = await FixedAnswers.StartAsync();
        foreach (var instances in new[] { 1, 2 })
        {
            await using var environment = await IsolatedEnvironment.CreateAsync($"bench-scale-{instances}");
            var processes = new List<ServiceProcess>();
            LoadBalancer? balancer = null;
            try
            {
                Console.Error.WriteLine($"scaling: starting {instances} instance(s) of each service behind nginx...");
                // The first instance of each service before the second, as ./run.sh --instances starts them.
                for (var instance = 0; instance < instances; instance++)
                    foreach (var service in Services)
                        processes.Add(await ServiceProcess.StartAsync(service, environment, "Release", settings));
                balancer = await LoadBalancer.StartAsync(processes.GroupBy(p => p.Service));
                var cpu = new ProcessCpu(
                    processes
                        .Select(
                            (p, i) => (p, Name: instances == 1 ? p.Service : $"{p.Service} {i / Services.Length + 1}")
                        )
                        .ToDictionary(x => x.Name, x => x.p.ProcessId)
                );
                IServiceEndpoint balancedIngestion = balancer["Ingestion"],
                    balancedAccounting = balancer["Accounting"];
                var ingest = balancedIngestion.Client<IIngestionApi>();
                var layout = instances == 1 ? "1 instance of each service" : $"{instances} instances of each service";

                Console.Error.WriteLine($"scaling: {layout}, warm-up and sustained throughput...");
                var sustained = await SustainedPhase.RunAsync(environment, ingest, cpu, warmUpRound, total);
                throughput[instances] = sustained.EventsPerSecond;
                report.Add(
                    $"whole system behind nginx, {layout}, sustained",
                    $"{sustained.EventsPerSecond:N0} events/s",
                    $"{total:N0} events in batches of 1,000, 4 senders, over {sustained.Elapsed.TotalSeconds:N0} s; accepted at "
                        + $"{sustained.AcceptedPerSecond:N0} events/s; done after the last 202: "
                        + string.Join(
                            ", ",
                            sustained.DoneAfterLastAccept.Select(b => $"{b.Key} {b.Value.TotalSeconds:N1} s")
                        )
                );
                report.Add(
                    $"whole system behind nginx, {layout}, CPU per 1,000 events",
                    $"{ProcessCpu.Total(sustained.CpuSeconds) * 1_000 / total:N3} CPU-s",
                    string.Join(
                        ", ",
                        sustained.CpuSeconds.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N1}")
                    ) + $" CPU-s; warm-up {sustained.WarmUpEvents:N0} events in {sustained.WarmUpRounds} rounds"
                );

                Console.Error.WriteLine($"scaling: {layout}, latency...");
                // Latency is measured on a system carrying the generator's load, not still catching up on the last phase.
                var quietAfter = await cpu.UntilQuietAsync(0.25, TimeSpan.FromMinutes(3));
                await AlertingBenchmark.OpenBreakersAsync(
                    environment,
                    ingest,
                    balancedAccounting.Client<IAccountingApi>()
                );
                // First the floor: the same generator against nginx answering from memory, beside this idle system.
                var targets = new List<(string Through, Uri Alerting, Uri Ingestion)>
                {
                    (
                        "nginx's fixed answer, no service (the floor)",
                        fixedAnswers.BaseAddress,
                        fixedAnswers.BaseAddress
                    ),
                    ("through nginx", balancer["Alerting"].BaseAddress, balancer["Ingestion"].BaseAddress),
                };
                // Straight to one instance as well, to tell nginx's share of the tail from the services'.
                if (instances > 1)
                    targets.Add(
                        (
                            "straight to one instance",
                            balancer["Alerting"].Instances[0].BaseAddress,
                            balancer["Ingestion"].Instances[0].BaseAddress
                        )
                    );
                foreach (var (through, alerting, ingestion) in targets)
                {
                    await cpu.UntilQuietAsync(0.25, TimeSpan.FromMinutes(3));
                    var beforeCheck = cpu.Snapshot();
                    var check = await LoadGenerator.RunInOwnProcessAsync("check", alerting, 1_000, latencyDuration);
                    var checkCpu = ProcessCpu.Between(beforeCheck, cpu.Snapshot());
                    report.Add(
                        $"GET /v1/check at 1,000 req/s, {layout}, {through}",
                        $"p99 {check.P99:N2} ms",
                        $"p50 {check.P50:N2}, p99.9 {check.P999:N2}, max {check.Max:N1} ms (due → answered); generator in its own process, "
                            + $"its lag p99 {check.LagP99:N2} ms; {check.Requests:N0} requests once the system was quiet ({quietAfter.TotalSeconds:N0} s after the sustained phase), {check.Refused:N0} refused (open breakers); slowest 1 % by second of the run: {check.SlowestPercent()}; {CpuWhile(checkCpu)}; goal p99 < 2 ms"
                    );
                    await cpu.UntilQuietAsync(0.25, TimeSpan.FromMinutes(3));
                    var beforeUsage = cpu.Snapshot();
                    var usage = await LoadGenerator.RunInOwnProcessAsync("usage", ingestion, 200, latencyDuration);
                    var usageCpu = ProcessCpu.Between(beforeUsage, cpu.Snapshot());
                    report.Add(
                        $"POST /v1/usage, 1 event per request at 200 req/s, {layout}, {through}",
                        $"p99 {usage.P99:N1} ms",
                        $"p50 {usage.P50:N1}, p99.9 {usage.P999:N1}, max {usage.Max:N1} ms (due → 202); whole pipeline running; generator in its own process, "
                            + $"its lag p99 {usage.LagP99:N2} ms; slowest 1 % by second of the run: {usage.SlowestPercent()}; {CpuWhile(usageCpu)}; goal p99 < 20 ms"
                    );
                }
            }
            finally
            {
                if (balancer is not null)
                    await balancer.DisposeAsync();
                foreach (var process in processes)
                    await process.DisposeAsync();
            }
        }
        report.Add(
            "whole system, 2 instances against 1 (same run)",
            $"{throughput[2] / throughput[1]:P0}",
            $"{throughput[2]:N0} against {throughput[1]:N0} events/s; goal ≥ 80 % on this 2-core machine"
        );
    }

    // What ran while the gateways waited, warm-up included: the tail's suspects. The generator's own process is not
    // among the parts ("load generator" there is this process, idle meanwhile).
    private static string CpuWhile(IReadOnlyDictionary<string, double> used) =>
        $"CPU over the run {ProcessCpu.Total(used):N1} s: "
        + string.Join(
            ", ",
            used.Where(p => p.Value >= 0.1).OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N1}")
        );
}
