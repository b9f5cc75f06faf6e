using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Operations;

/// <summary>A consumer whose database is away keeps its messages and takes them in when it is back, by itself.</summary>
public sealed class SlowIsNotFailedTests : IAsyncLifetime
{
    private sealed record Failed(string Queue, string? MessageId);

    /// <summary>Longer than the 22 s of retries consumers had before they gave up to an error queue.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(40);

    private IsolatedEnvironment _environment = null!;
    private TcpRelay _relay = null!;
    private RunningService _accounting = null!;
    private RunningService _ingestion = null!;

    public async Task InitializeAsync()
    {
        _environment = await IsolatedEnvironment.CreateAsync("slow");
        (_relay, var postgres) = TcpRelay.ForPostgres(_environment.Servers.Postgres);
        // The default retry schedule, as in production.
        _accounting = await RunningService.StartAsync(
            AccountingHost.Build,
            _environment,
            new Dictionary<string, string?> { ["TOKENWISE_POSTGRES"] = postgres }
        );
        _ingestion = await RunningService.StartAsync(IngestionHost.Build, _environment);
    }

    public async Task DisposeAsync()
    {
        await _ingestion.DisposeAsync();
        await _accounting.DisposeAsync();
        await _relay.DisposeAsync();
        await _environment.DisposeAsync();
    }

    [Fact]
    public async Task Usage_sent_while_the_consumers_database_is_away_is_charged_once_it_is_back_with_nothing_in_an_error_queue()
    {
        _relay.Cut();
        var usage = new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow,
            User = "patient",
            Model = "gpt-4.1",
            InputTokens = 50_000,
        };
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await _ingestion.Client<IIngestionApi>().RecordUsageAsync(usage)).StatusCode
        );
        // The fault itself: the database stays away this long, while Accounting keeps trying.
        await Task.Delay(Outage);
        Assert.True(_relay.Dropped > 0, "Accounting never tried the database while it was away");
        _relay.Restore();

        var spend = _accounting.Client<IAccountingApi>();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var report = await Eventually.Until(
            async () => (await spend.GetSpendAsync("user", day, day)).Content,
            r => r?.Totals.Requests > 0,
            "the usage to be charged once the database is back"
        );
        Assert.Equal((1L, 0.10m), (report!.Totals.Requests, report.Totals.CostUsd));
        using var ops = _accounting.Http();
        ops.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );
        Assert.Empty(await ops.GetFromJsonAsync<List<Failed>>("/v1/ops/failed-messages") ?? []);
    }
}
