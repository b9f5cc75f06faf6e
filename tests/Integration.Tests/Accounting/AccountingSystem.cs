using Marten;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Accounting;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Accounting;

/// <summary>Ingestion and Accounting in-process on real servers; Accounting can be restarted mid-test.</summary>
public sealed class AccountingSystem : IAsyncLifetime
{
    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>();
    public IAccountingApi Api => Accounting.Client<IAccountingApi>();

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("accounting");
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(IngestionHost.Build, Environment);
    }

    public async Task RestartAccountingAsync()
    {
        await Accounting.DisposeAsync();
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
    }

    /// <summary>Events of a type in Accounting's store (what its relay publishes).</summary>
    public async Task<IReadOnlyList<T>> AccountingEvents<T>()
        where T : class
    {
        await using var session = Accounting.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.OfTypeAsync<T>();
    }

    public async Task PostAsync(params UsageEvent[] usage)
    {
        var response = await Ingest.RecordUsageBatchAsync(usage);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Every user's spend row over the last 35 days.</summary>
    public async Task<IReadOnlyList<SpendRow>> SpendRowsAsync()
    {
        var report = await Api.GetSpendAsync(
            "user",
            DateTime.UtcNow.AddDays(-35).ToString("yyyy-MM-dd"),
            DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd")
        );
        return report.Content!.Rows;
    }

    /// <summary>One user's spend row over the last 35 days (null before any charge).</summary>
    public async Task<SpendRow?> SpendRowOf(string user) =>
        (await SpendRowsAsync()).FirstOrDefault(r => r.Group["user"] == user);

    /// <summary>Waits until one user's spend (all days) satisfies a condition, and returns it.</summary>
    public Task<SpendFigures> SpendOf(string user, Func<SpendFigures, bool> done, string what) =>
        Eventually
            .Until(
                async () =>
                {
                    var report = await Api.GetSpendAsync(
                        "user",
                        DateTime.UtcNow.AddDays(-35).ToString("yyyy-MM-dd"),
                        DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd")
                    );
                    return report.Content!.Rows.FirstOrDefault(r => r.Group["user"] == user)?.Figures;
                },
                f => f is not null && done(f),
                $"{what} for {user}"
            )
            .ContinueWith(t => t.Result!);

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
