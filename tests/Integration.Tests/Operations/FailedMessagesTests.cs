using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Operations;

/// <summary>
/// A message that fails every retry waits in an error queue, and nobody has to look for it: the service's
/// /health/ready counts it and Alerting raises a pipeline alert for the queue, resolved once it is replayed.
/// </summary>
public sealed class FailedMessagesTests : IAsyncLifetime
{
    private sealed record Failed(
        string Queue,
        string? MessageId,
        string? MessageType,
        string? Reason,
        string? ExceptionType
    );

    private sealed record ReplayResult(int Replayed);

    private IsolatedEnvironment _environment = null!;
    private TcpRelay _relay = null!;
    private RunningService _accounting = null!;
    private RunningService _ingestion = null!;
    private RunningService _alerting = null!;

    public async Task InitializeAsync()
    {
        _environment = await IsolatedEnvironment.CreateAsync("failed");
        // Accounting reaches PostgreSQL through a relay the test can cut, and gives up after 3 s of retries (not the
        // 12 minutes it would in production), so its message lands in the error queue within the test.
        (_relay, var postgres) = TcpRelay.ForPostgres(_environment.Servers.Postgres);
        _accounting = await RunningService.StartAsync(
            AccountingHost.Build,
            _environment,
            new Dictionary<string, string?>
            {
                ["TOKENWISE_POSTGRES"] = postgres,
                ["Tokenwise:Messaging:RetryMinutes"] = "0.05",
                ["Tokenwise:Pipeline:CheckEverySeconds"] = "1",
            }
        );
        _ingestion = await RunningService.StartAsync(IngestionHost.Build, _environment);
        _alerting = await RunningService.StartAsync(AlertingHost.Build, _environment);
    }

    public async Task DisposeAsync()
    {
        await _alerting.DisposeAsync();
        await _ingestion.DisposeAsync();
        await _accounting.DisposeAsync();
        await _relay.DisposeAsync();
        await _environment.DisposeAsync();
    }

    [Fact]
    public async Task A_message_that_fails_every_retry_is_listed_alerted_and_shown_in_readiness_and_counted_once_after_a_replay()
    {
        using var ops = _accounting.Http();
        ops.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );
        _relay.Cut();
        var usage = new UsageEvent
        {
            Id = Guid.NewGuid().ToString("N"),
            OccurredAt = DateTimeOffset.UtcNow,
            User = "poisoned",
            Model = "gpt-4.1",
            InputTokens = 50_000,
        };
        Assert.Equal(
            HttpStatusCode.Accepted,
            (await _ingestion.Client<IIngestionApi>().RecordUsageAsync(usage)).StatusCode
        );

        var failed = await Eventually.Until(
            async () => await ops.GetFromJsonAsync<List<Failed>>("/v1/ops/failed-messages") ?? [],
            list => list.Count > 0,
            "the usage to fail every retry and land in the error queue",
            TimeSpan.FromSeconds(90)
        );
        var message = Assert.Single(failed);
        Assert.StartsWith("accounting-", message.Queue);
        Assert.Contains("UsageRecordedBatch", message.MessageType);
        Assert.False(string.IsNullOrWhiteSpace(message.Reason));
        // The error queue, as every durable queue the services declared, is replicated on a cluster: a quorum queue.
        var queues = await _environment.DeclaredQueuesAsync();
        Assert.Contains(queues, q => q.Name == message.Queue + "_error" && q.Type == "quorum");
        Assert.All(queues.Where(q => q.Durable), q => Assert.Equal((q.Name, "quorum"), (q.Name, q.Type)));
        Assert.All(queues.Where(q => !q.Durable), q => Assert.True(q.GoesWhenUnused, q.ToString()));

        _relay.Restore();
        // Ops learn of it without looking: readiness names it, and the queue has a critical pipeline alert.
        var pipeline = await Eventually.Until(
            async () => await PipelineHealthAsync(ops),
            p => p.TryGetProperty("data", out var data) && data.GetProperty("failedMessages").GetInt64() == 1,
            "readiness to count the failed message"
        );
        Assert.Contains("failed every retry", pipeline.GetProperty("description").GetString());
        var alerts = _alerting.Client<IAlertingApi>();
        var alert = await Eventually.Until(
            async () => (await alerts.ListAlertsAsync(kind: "pipeline")).Content!.SingleOrDefault(),
            a => a is not null,
            "a pipeline alert for the queue"
        );
        Assert.Equal(
            ("critical", "queue", message.Queue, "raised"),
            (alert!.Severity, alert.Scope.Type, alert.Scope.Id, alert.Status)
        );

        var replay = await ops.PostAsync("/v1/ops/failed-messages/replay", null);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<ReplayResult>())!.Replayed);
        var spend = _accounting.Client<IAccountingApi>();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var report = await Eventually.Until(
            async () => (await spend.GetSpendAsync("user", day, day)).Content,
            r => r?.Totals.Requests > 0,
            "the replayed usage to be charged"
        );
        Assert.Equal((1L, 0.10m), (report!.Totals.Requests, report.Totals.CostUsd));
        Assert.Empty(await ops.GetFromJsonAsync<List<Failed>>("/v1/ops/failed-messages") ?? []);
        await Eventually.Until(
            async () => (await alerts.GetAlertAsync(alert.Id)).Content!.Alert.Status,
            s => s == "resolved",
            "the pipeline alert to resolve once the error queue is empty"
        );
    }

    private static async Task<JsonElement> PipelineHealthAsync(HttpClient http)
    {
        // Read whatever the status: the JSON says which check is red.
        using var answer = await http.GetAsync("/health/ready");
        using var document = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("checks").GetProperty("pipeline").Clone();
    }
}
