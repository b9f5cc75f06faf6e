using System.Globalization;
using Marten;
using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Leadership;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// Sends every service the whole key list, signed, every Tokenwise:Keys:SnapshotEverySeconds (default 30): a
/// revocation whose message was lost (a queue purged, a service restored from an old backup) is repaired within that
/// time. It reads what Ingestion committed, and a snapshot older than a service's own copy undoes nothing
/// (<see cref="KnownApiKey.Reconcile"/>), so a second sender during a change of leader is harmless. One instance
/// sends it (<see cref="LeaderElection"/>).
/// </summary>
public sealed class KeySnapshotPublisher(
    IDocumentStore store,
    IBus bus,
    ControlSigner signer,
    TimeProvider clock,
    KeySnapshotSchedule schedule,
    LeaderElection election,
    ILogger<KeySnapshotPublisher> logger
) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        election.RunWhileLeadingAsync(
            "key-snapshots",
            async lead =>
            {
                using var timer = new PeriodicTimer(schedule.Every);
                do
                {
                    try
                    {
                        await PublishAsync(lead);
                    }
                    catch (Exception e) when (!lead.IsCancellationRequested)
                    {
                        logger.LogWarning(
                            e,
                            "Sending the key snapshot failed; the next one follows in {Every}",
                            schedule.Every
                        );
                    }
                } while (await timer.WaitForNextTickAsync(lead));
            },
            stoppingToken
        );

    private async Task PublishAsync(CancellationToken ct)
    {
        var takenAt = clock.GetUtcNow();
        await using var session = store.QuerySession();
        var keys = await session.Query<KnownApiKey>().ToListAsync(ct);
        var bootstrap = await session.LoadAsync<BootstrapKeyState>(BootstrapKeyState.DocumentId, ct);
        var snapshot = signer.Sign(
            new ApiKeysSnapshot
            {
                Keys = keys.Select(k => k.State()).ToList(),
                BootstrapKeyDisabled = bootstrap?.DisabledAt is not null,
                TakenAt = takenAt,
            }
        );
        // A service that was away for an hour needs the latest snapshot, not the 120 before it.
        await bus.Publish(snapshot, context => context.TimeToLive = schedule.Every * 4, ct);
    }
}

/// <summary>How often the key snapshot goes out (Tokenwise:Keys:SnapshotEverySeconds, 1 to 3,600).</summary>
public sealed record KeySnapshotSchedule(TimeSpan Every)
{
    public static KeySnapshotSchedule Read(IConfiguration configuration)
    {
        var text = configuration["Tokenwise:Keys:SnapshotEverySeconds"];
        if (string.IsNullOrWhiteSpace(text))
            return new(TimeSpan.FromSeconds(30));
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1 and <= 3600
        )
            return new(TimeSpan.FromSeconds(seconds));
        throw new InvalidOperationException(
            $"Tokenwise:Keys:SnapshotEverySeconds must be a whole number from 1 to 3600; it is '{text}'."
        );
    }
}
