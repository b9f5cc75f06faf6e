using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.EndToEnd;

/// <summary>The four services as separate processes (their built assemblies, as ./run.sh runs them) on real servers.</summary>
public sealed class CompanySystem : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public IsolatedEnvironment Environment { get; private set; } = null!;
    private readonly List<ServiceProcess> _services = [];
    public ServiceProcess Ingestion { get; private set; } = null!;
    public ServiceProcess Accounting { get; private set; } = null!;
    public ServiceProcess Outcomes { get; private set; } = null!;
    public ServiceProcess Alerting { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>(retry: RetryPolicy.Default);
    public const string GitHubSecret = "e2e-github-secret";
    public const string PagerDutySecret = "e2e-pagerduty-secret";

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("e2e");
        Alerting = await StartAsync("Alerting", new() { ["Tokenwise:Alerting:EvaluateEverySeconds"] = "2" });
        Outcomes = await StartAsync("Outcomes", new() { ["Tokenwise:Detections:EverySeconds"] = "2" });
        Accounting = await StartAsync("Accounting", new());
        Ingestion = await StartAsync(
            "Ingestion",
            new()
            {
                // The simulated company's GitHub and PagerDuty send from this machine, as fast as the sender goes.
                ["Tokenwise:RateLimit:PerSecond"] = "100000",
                ["Tokenwise:RateLimit:AnonymousPerSecond"] = "100000",
                ["TOKENWISE_GITHUB_SECRET"] = GitHubSecret,
                ["TOKENWISE_PAGERDUTY_SECRET"] = PagerDutySecret,
            }
        );
    }

    private async Task<ServiceProcess> StartAsync(string service, Dictionary<string, string?> settings)
    {
        var process = await ServiceProcess.StartAsync(service, Environment, Configuration, settings);
        _services.Add(process);
        return process;
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
            await service.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
