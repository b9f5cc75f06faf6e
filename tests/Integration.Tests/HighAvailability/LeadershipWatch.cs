using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.HighAvailability;

/// <summary>
/// Asks every instance's /health/ready what it leads (the "leadership" entry: Marten's projection daemon and the
/// elected loops) ten times a second, and keeps, per service, the moments nobody led its projection daemon.
/// </summary>
public sealed class LeadershipWatch : IAsyncDisposable
{
    public const string ProjectionDaemon = "projection-daemon";

    private readonly IReadOnlyList<BalancedService> _services;
    private readonly ConcurrentDictionary<ServiceProcess, IReadOnlySet<string>> _leads = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _leaderless = new();
    private readonly ConcurrentDictionary<string, Stopwatch> _without = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMilliseconds(500) };

    public LeadershipWatch(IReadOnlyList<BalancedService> services)
    {
        _services = services;
        _watching = Task.Run(WatchAsync);
    }

    /// <summary>Per service, the longest stretch seen without a projection-daemon leader.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LongestLeaderless => _leaderless;

    /// <summary>What <paramref name="instance"/> said it leads when last asked (nothing when it did not answer).</summary>
    public IReadOnlySet<string> LeadsOf(ServiceProcess instance) =>
        _leads.TryGetValue(instance, out var leads) ? leads : new HashSet<string>();

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var pace = Task.Delay(TimeSpan.FromMilliseconds(100));
            foreach (var service in _services)
            {
                var anyLeads = false;
                foreach (var instance in service.Instances)
                {
                    var leads = await AskAsync(instance);
                    _leads[instance] = leads;
                    anyLeads |= leads.Contains(ProjectionDaemon);
                }
                var without = _without.GetOrAdd(service.Service, _ => new Stopwatch());
                if (anyLeads)
                    without.Reset();
                else
                {
                    without.Start();
                    _leaderless.AddOrUpdate(
                        service.Service,
                        without.Elapsed,
                        (_, longest) => without.Elapsed > longest ? without.Elapsed : longest
                    );
                }
            }
            await pace;
        }
    }

    private async Task<IReadOnlySet<string>> AskAsync(ServiceProcess instance)
    {
        try
        {
            using var answer = await _http.GetAsync(new Uri(instance.BaseAddress, "/health/ready"), _stop.Token);
            using var health = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(_stop.Token));
            return
                health.RootElement.GetProperty("checks").GetProperty("leadership").TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.Object
                ? data.EnumerateObject().Select(p => p.Name).ToHashSet()
                : new HashSet<string>();
        }
        catch (Exception e)
            when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return new HashSet<string>();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _http.Dispose();
    }
}
