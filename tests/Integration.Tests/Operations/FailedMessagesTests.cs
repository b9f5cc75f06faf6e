using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Operations;

public sealed class FailedMessagesTests : IAsyncLifetime
{
    private sealed record Failed(string Queue, string? MessageId, string? MessageType, string? Reason, string? ExceptionType);
    private sealed record ReplayResult(int Replayed);

    private IsolatedEnvironment _environment = null!;
    private TcpRelay _relay = null!;
    private RunningService _accounting = null!;
    private RunningService _ingestion = null!;

    public async Task InitializeAsync()
    {
        _environment = await IsolatedEnvironment.CreateAsync("failed");
        // Accounting reaches PostgreSQL through a relay the test can cut, so its consumer fails every retry.
        var postgres = new NpgsqlConnectionStringBuilder(_environment.Servers.Postgres);
        _relay = new TcpRelay(postgres.Host!, postgres.Port);
        postgres.Host = "127.0.0.1";
        postgres.Port = _relay.Port;
        postgres.Timeout = 3;
        _accounting = await RunningService.StartAsync(AccountingHost.Build, _environment,
            new Dictionary<string, string?> { ["TOKENWISE_POSTGRES"] = postgres.ConnectionString });
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
    public async Task A_message_that_fails_every_retry_is_listed_with_its_reason_and_counted_once_after_a_replay()
    {
        using var ops = _accounting.Http();
        ops.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IsolatedEnvironment.BootstrapKey);
        _relay.Cut();
        var usage = new UsageEvent { Id = Guid.NewGuid().ToString("N"), OccurredAt = DateTimeOffset.UtcNow, User = "poisoned", Model = "gpt-4.1", InputTokens = 50_000 };
        Assert.Equal(HttpStatusCode.Accepted, (await _ingestion.Client<IIngestionApi>().RecordUsageAsync(usage)).StatusCode);

        var failed = await Eventually.Until(async () => await ops.GetFromJsonAsync<List<Failed>>("/v1/ops/failed-messages") ?? [],
            list => list.Count > 0, "the usage to fail every retry and land in the error queue", TimeSpan.FromSeconds(90));
        var message = Assert.Single(failed);
        Assert.StartsWith("accounting-", message.Queue);
        Assert.Contains("UsageRecordedBatch", message.MessageType);
        Assert.False(string.IsNullOrWhiteSpace(message.Reason));

        _relay.Restore();
        var replay = await ops.PostAsync("/v1/ops/failed-messages/replay", null);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<ReplayResult>())!.Replayed);
        var spend = _accounting.Client<IAccountingApi>();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var report = await Eventually.Until(async () => (await spend.GetSpendAsync("user", day, day)).Content, r => r?.Totals.Requests > 0,
            "the replayed usage to be charged");
        Assert.Equal((1L, 0.10m), (report!.Totals.Requests, report.Totals.CostUsd));
        Assert.Empty(await ops.GetFromJsonAsync<List<Failed>>("/v1/ops/failed-messages") ?? []);
    }
}
