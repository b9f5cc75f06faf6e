namespace Tokenwise.Benchmarks;

/// <summary>
/// CPU time used by each part of the system under test, from Linux's /proc: the service processes (and, within them,
/// the JIT's tiering threads), PostgreSQL's processes, RabbitMQ's, nginx's (when it balances) and this load generator. Where /proc is missing
/// (or the servers run elsewhere, in containers on another host) the parts not found are simply absent.
/// </summary>
internal sealed class ProcessCpu(IReadOnlyDictionary<string, int> services)
{
    // USER_HZ: /proc reports CPU time in ticks of 1/100 s on every Linux build .NET runs on.
    private const double TicksPerSecond = 100;
    public const string Jit = "JIT (in the services)";

    public IReadOnlyDictionary<string, double> Snapshot()
    {
        var seconds = new Dictionary<string, double>();
        void Add(string part, double value) => seconds[part] = seconds.GetValueOrDefault(part) + value;
        if (!Directory.Exists("/proc"))
            return seconds;
        foreach (var (name, pid) in services)
        {
            Add(name, Ticks($"/proc/{pid}") / TicksPerSecond);
            foreach (var thread in SafeDirectories($"/proc/{pid}/task"))
                if (Read($"{thread}/comm")?.Contains("Tiered", StringComparison.Ordinal) == true)
                    Add(Jit, Ticks(thread) / TicksPerSecond);
        }
        Add("load generator", Ticks($"/proc/{Environment.ProcessId}") / TicksPerSecond);
        foreach (var process in SafeDirectories("/proc").Where(p => Path.GetFileName(p).All(char.IsDigit)))
            switch (Read($"{process}/comm"))
            {
                case "postgres":
                    Add("PostgreSQL", Ticks(process) / TicksPerSecond);
                    break;
                case "beam.smp":
                    Add("RabbitMQ", Ticks(process) / TicksPerSecond);
                    break;
                case "nginx":
                    Add("nginx", Ticks(process) / TicksPerSecond);
                    break;
            }
        return seconds;
    }

    public static IReadOnlyDictionary<string, double> Between(
        IReadOnlyDictionary<string, double> before,
        IReadOnlyDictionary<string, double> after
    ) => after.ToDictionary(p => p.Key, p => Math.Max(0, p.Value - before.GetValueOrDefault(p.Key)));

    /// <summary>
    /// Waits until the whole system used under <paramref name="share"/> of one core over a second: the backlog a
    /// phase left (projections, daemons, checkpoints) is worked off before latency is measured. How long it took.
    /// </summary>
    public async Task<TimeSpan> UntilQuietAsync(double share, TimeSpan deadline)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < deadline)
        {
            var before = Snapshot();
            var at = watch.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Total(Between(before, Snapshot())) < share * (watch.Elapsed - at).TotalSeconds)
                return watch.Elapsed;
        }
        throw new TimeoutException($"the system did not fall under {share:P0} of a core within {deadline}");
    }

    /// <summary>Every part's seconds except the JIT's, which are already counted in their service's.</summary>
    public static double Total(IReadOnlyDictionary<string, double> used) =>
        used.Where(p => p.Key != Jit).Sum(p => p.Value);

    private static long Ticks(string process)
    {
        // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
        var stat = Read($"{process}/stat");
        if (stat is null)
            return 0;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<string> SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
