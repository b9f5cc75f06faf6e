using Tokenwise.Accounting;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Outcomes;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Outcomes;

/// <summary>Ingestion, Accounting and Outcomes in-process on real servers.</summary>
public sealed class OutcomesSystem : IAsyncLifetime
{
    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public RunningService Outcomes { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>();
    public IOutcomesApi Api => Outcomes.Client<IOutcomesApi>();

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("outcomes");
        Outcomes = await RunningService.StartAsync(OutcomesHost.Build, Environment);
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(IngestionHost.Build, Environment);
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await Outcomes.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
