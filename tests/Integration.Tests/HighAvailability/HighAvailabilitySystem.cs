using Tokenwise.Integration.Tests.EndToEnd;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.HighAvailability;

/// <summary>
/// The highly available layout on this machine: two instances of every service behind nginx, a three-node RabbitMQ
/// cluster and a PostgreSQL primary with a synchronous standby, each started by the script a person would use.
/// </summary>
public sealed class HighAvailabilitySystem : ICompanySystem, IAsyncLifetime
{
    public const int InstancesPerService = 2;

    private readonly List<ServiceProcess> _processes = [];

    public IsolatedEnvironment Environment { get; private set; } = null!;
    public LoadBalancer Balancer { get; private set; } = null!;
    public IServiceEndpoint Ingestion => Balancer["Ingestion"];
    public IServiceEndpoint Accounting => Balancer["Accounting"];
    public IServiceEndpoint Outcomes => Balancer["Outcomes"];
    public IServiceEndpoint Alerting => Balancer["Alerting"];

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("ha", await HighAvailabilityServers.StartAsync());
        // The first instance of each service before the second, as ./run.sh --instances starts them: Weasel's migration
        // lock times out when every instance creates the schemas at once.
        for (var instance = 0; instance < InstancesPerService; instance++)
            foreach (var (service, settings) in CompanySystem.Services)
                _processes.Add(
                    await ServiceProcess.StartAsync(service, Environment, CompanySystem.Configuration, settings)
                );
        Balancer = await LoadBalancer.StartAsync(_processes.GroupBy(p => p.Service));
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null)
            await Balancer.DisposeAsync();
        foreach (var process in _processes)
            await process.DisposeAsync();
        if (Environment is not null)
            await Environment.DisposeAsync();
    }
}
