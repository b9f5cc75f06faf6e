using Tokenwise.Accounting;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.WalkingSkeleton;

/// <summary>Ingestion and Accounting hosted in-process on real PostgreSQL and RabbitMQ, in their own vhost and schemas.</summary>
public sealed class IngestionAndAccounting : IAsyncLifetime
{
    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("skeleton");
        // Accounting first, so its queue is bound before Ingestion's relay publishes anything.
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(IngestionHost.Build, Environment);
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
