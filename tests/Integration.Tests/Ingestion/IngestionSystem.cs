using Marten;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Accounting;
using Tokenwise.Client.Apis;
using Tokenwise.Contracts;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Ingestion;

/// <summary>Ingestion (webhook secrets configured) and Accounting, in-process on real PostgreSQL and RabbitMQ.</summary>
public sealed class IngestionSystem : IAsyncLifetime
{
    public const string GitHubSecret = "gh-test-secret";
    public const string PagerDutySecret = "pd-test-secret";

    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public IIngestionApi Api => Ingestion.Client<IIngestionApi>();

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("ingestion");
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(
            IngestionHost.Build,
            Environment,
            new Dictionary<string, string?>
            {
                ["TOKENWISE_GITHUB_SECRET"] = GitHubSecret,
                ["TOKENWISE_PAGERDUTY_SECRET"] = PagerDutySecret,
            }
        );
    }

    /// <summary>Every usage Ingestion committed under an idempotency key ("source/id"), straight from its event store.</summary>
    public async Task<IReadOnlyList<UsageRecorded>> StoredUsages(string key)
    {
        await using var session = Ingestion.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var batches = await session.OfTypeAsync<UsageRecordedBatch>();
        return batches.SelectMany(b => b.Items).Where(u => u.Key == key).ToList();
    }

    public async Task<UsageRecorded> StoredUsage(string key) => Assert.Single(await StoredUsages(key));

    /// <summary>Every outcome Ingestion committed under an idempotency key.</summary>
    public async Task<IReadOnlyList<OutcomeRecorded>> StoredOutcomes(string key)
    {
        await using var session = Ingestion.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryRawEventDataOnly<OutcomeRecorded>().Where(o => o.Key == key).ToListAsync();
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
