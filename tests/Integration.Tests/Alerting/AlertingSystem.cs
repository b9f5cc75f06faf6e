using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

/// <summary>
/// Ingestion, Accounting and two Alerting instances in-process on real servers: the first runs the daemon (desk,
/// publisher, evaluator), the second only answers HTTP, as a scaled-out gateway-facing instance would.
/// </summary>
public sealed class AlertingSystem : IAsyncLifetime
{
    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public RunningService Alerting { get; private set; } = null!;
    public RunningService SecondAlerting { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>();
    public IAccountingApi Spend => Accounting.Client<IAccountingApi>();
    public IAlertingApi Api => Alerting.Client<IAlertingApi>();
    public IAlertingApi SecondApi => SecondAlerting.Client<IAlertingApi>();

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("alerting");
        // Evaluations are driven by the tests (Evaluator.EvaluateAsync) so they run at known moments.
        var quiet = new Dictionary<string, string?> { ["Tokenwise:Alerting:EvaluateEverySeconds"] = "3600" };
        Alerting = await RunningService.StartAsync(AlertingHost.Build, Environment, quiet);
        SecondAlerting = await RunningService.StartAsync(AlertingHost.Build, Environment,
            new Dictionary<string, string?>(quiet) { ["Tokenwise:RunDaemon"] = "false" });
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(IngestionHost.Build, Environment);
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await SecondAlerting.DisposeAsync();
        await Alerting.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
