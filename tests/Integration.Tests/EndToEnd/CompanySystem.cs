using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.EndToEnd;

/// <summary>The four services as separate processes (their built assemblies, as ./run.sh runs them) on real servers.</summary>
/// <summary>The four services of a system a simulated company is sent to, and the environment they run in.</summary>
public interface ICompanySystem
{
    IsolatedEnvironment Environment { get; }
    IServiceEndpoint Ingestion { get; }
    IServiceEndpoint Accounting { get; }
    IServiceEndpoint Outcomes { get; }
    IServiceEndpoint Alerting { get; }
}

public sealed class CompanySystem : ICompanySystem, IAsyncLifetime
{
    IServiceEndpoint ICompanySystem.Ingestion => Ingestion;
    IServiceEndpoint ICompanySystem.Accounting => Accounting;
    IServiceEndpoint ICompanySystem.Outcomes => Outcomes;
    IServiceEndpoint ICompanySystem.Alerting => Alerting;

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
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

    /// <summary>The services in the order they start (Ingestion last: it takes the traffic) and each one's settings.</summary>
    public static readonly IReadOnlyList<(string Service, Dictionary<string, string?> Settings)> Services =
    [
        ("Alerting", new() { ["Tokenwise:Alerting:EvaluateEverySeconds"] = "2" }),
        ("Outcomes", new() { ["Tokenwise:Detections:EverySeconds"] = "2" }),
        ("Accounting", new()),
        (
            "Ingestion",
            new()
            {
                // The simulated company's GitHub and PagerDuty send from this machine, as fast as the sender goes.
                ["Tokenwise:RateLimit:PerSecond"] = "100000",
                ["Tokenwise:RateLimit:AnonymousPerSecond"] = "100000",
                ["TOKENWISE_GITHUB_SECRET"] = GitHubSecret,
                ["TOKENWISE_PAGERDUTY_SECRET"] = PagerDutySecret,
            }
        ),
    ];

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("e2e");
        var started = new Dictionary<string, ServiceProcess>();
        foreach (var (service, settings) in Services)
            started[service] = await StartAsync(service, settings);
        (Alerting, Outcomes, Accounting, Ingestion) = (
            started["Alerting"],
            started["Outcomes"],
            started["Accounting"],
            started["Ingestion"]
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
