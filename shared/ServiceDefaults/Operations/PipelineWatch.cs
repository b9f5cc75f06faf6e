using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Leadership;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>What waits unseen in this service: messages in each error queue, items in quarantine.</summary>
public sealed record PipelineSnapshot(IReadOnlyDictionary<string, long> ErrorQueues, int Quarantined, DateTimeOffset At)
{
    public long Failed => ErrorQueues.Values.Sum();
}

/// <summary>
/// Nothing waits in an error queue unseen. Every few seconds (Tokenwise:Pipeline:CheckEverySeconds, default 15) each
/// instance counts the messages in its service's error queues and the items in its quarantine, for /health/ready. The
/// instance that leads the announcements (<see cref="LeaderElection"/>) also records a <see cref="MessagesFailed"/>
/// whenever a queue's count changes (and once when it takes the lead), which the relay publishes and Alerting turns
/// into a pipeline alert, resolved when the queue is empty again.
/// </summary>
public sealed class PipelineWatch(
    FailedMessages failed,
    IDocumentStore store,
    TokenwiseSettings settings,
    LeaderElection election,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<PipelineWatch> logger
) : BackgroundService
{
    private readonly Dictionary<string, long> _announced = new(StringComparer.Ordinal);

    public PipelineSnapshot? Latest { get; private set; }

    private TimeSpan Every =>
        TimeSpan.FromSeconds(
            Math.Clamp(configuration.GetValue("Tokenwise:Pipeline:CheckEverySeconds", 15.0), 0.5, 3_600)
        );

    /// <summary>The loop whose leader announces changes: every instance counts, one tells.</summary>
    public const string AnnouncingLoop = "pipeline-announcements";

    private DateTimeOffset? _announcingSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Holding the lead is all the announcing loop does; the counting below asks whether this instance holds it.
        var holding = election.RunWhileLeadingAsync(
            AnnouncingLoop,
            lead => Task.Delay(Timeout.Infinite, lead),
            stoppingToken
        );
        await CountAsync(stoppingToken);
        await holding;
    }

    private async Task CountAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Counting failed and quarantined messages failed; trying again in {Every}", Every);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<PipelineSnapshot> CheckAsync(CancellationToken ct)
    {
        var queues = await failed.CountAsync(ct);
        int quarantined;
        await using (var session = store.QuerySession())
            quarantined = await session.Query<QuarantinedItem>().CountAsync(i => i.Status == QuarantinedItem.Held, ct);
        var snapshot = new PipelineSnapshot(queues, quarantined, clock.GetUtcNow());
        Latest = snapshot;
        if (election.Leading.TryGetValue(AnnouncingLoop, out var since))
        {
            // A new lead starts from nothing announced: the last leader's announcements are not this instance's to know.
            if (since != _announcingSince)
                _announced.Clear();
            _announcingSince = since;
            await AnnounceChangesAsync(snapshot, ct);
        }
        return snapshot;
    }

    private async Task AnnounceChangesAsync(PipelineSnapshot snapshot, CancellationToken ct)
    {
        var changed = snapshot
            .ErrorQueues.Where(q => !_announced.TryGetValue(q.Key, out var before) || before != q.Value)
            .ToList();
        if (changed.Count == 0)
            return;
        await using var session = store.LightweightSession();
        foreach (var (queue, count) in changed)
            session.Events.Append(
                $"pipeline:{queue}",
                new MessagesFailed
                {
                    Service = settings.ServiceName,
                    Queue = queue,
                    Count = count,
                    ObservedAt = snapshot.At,
                }
            );
        await session.SaveChangesAsync(ct);
        foreach (var (queue, count) in changed)
            _announced[queue] = count;
    }
}

/// <summary>
/// /health/ready says what waits unseen: its "pipeline" entry counts the messages in error queues and the items in
/// quarantine and says where to look, so ops learn of it from the check they already run. The instance stays ready
/// (a load balancer must not take it out for this); the pipeline alert is what calls a person.
/// </summary>
internal sealed class PipelineHealthCheck(PipelineWatch watch) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        if (watch.Latest is not { } latest)
            return Task.FromResult(HealthCheckResult.Healthy("not counted yet"));
        var data = new Dictionary<string, object>
        {
            ["failedMessages"] = latest.Failed,
            ["quarantinedItems"] = latest.Quarantined,
            ["countedAt"] = latest.At,
            ["errorQueues"] = latest
                .ErrorQueues.Where(q => q.Value > 0)
                .ToDictionary(q => q.Key + "_error", q => q.Value),
        };
        if (latest.Failed == 0 && latest.Quarantined == 0)
            return Task.FromResult(HealthCheckResult.Healthy("nothing failed or quarantined", data));
        return Task.FromResult(
            HealthCheckResult.Healthy(
                $"attention: {latest.Failed} message(s) failed every retry (GET /v1/ops/failed-messages), "
                    + $"{latest.Quarantined} item(s) quarantined (GET /v1/ops/quarantine)",
                data
            )
        );
    }
}
