using System.Diagnostics;
using Npgsql;
using Tokenwise.Testing;

namespace Tokenwise.Benchmarks;

/// <summary>How far each service has got: usage it has taken in, each counted once by the table that is its claim.</summary>
internal static class SystemProgress
{
    public static async Task<long> TakenInAsync(IsolatedEnvironment environment, string service)
    {
        await using var connection = new NpgsqlConnection(environment.Servers.Postgres);
        await connection.OpenAsync();
        var schema = environment.Schema(service);
        await using var command = new NpgsqlCommand(service switch
        {
            "accounting" => $"select count(*) from {schema}.charges",
            "outcomes" => $"select count(*) from {schema}.usage_facts",
            _ => $"select coalesce(sum(items), 0)::bigint from {schema}.watched_batches",
        }, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until Accounting, Outcomes and Alerting have each taken in <paramref name="expected"/> events; when each was done.</summary>
    public static async Task<IReadOnlyDictionary<string, TimeSpan>> DrainAsync(IsolatedEnvironment environment, long expected, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        var done = new Dictionary<string, TimeSpan>();
        while (done.Count < 3)
        {
            foreach (var service in new[] { "accounting", "outcomes", "alerting" }.Where(s => !done.ContainsKey(s)))
                if (await TakenInAsync(environment, service) >= expected) done[service] = watch.Elapsed;
            if (watch.Elapsed > deadline) throw new TimeoutException($"not every service took in {expected:N0} events within {deadline}");
            // Each poll counts a few hundred thousand rows; polled every 50 ms it took a fifth of a core from the system measured.
            await Task.Delay(500);
        }
        return done;
    }
}
