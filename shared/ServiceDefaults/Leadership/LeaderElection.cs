using System.Collections.Concurrent;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Microsoft.Extensions.Logging;

namespace Tokenwise.ServiceDefaults.Leadership;

/// <summary>
/// Runs a singleton loop (the alert evaluator, the quality detector, the key snapshots, the pipeline announcements) on
/// exactly one instance of a service at a time: the one that holds a PostgreSQL advisory lock named for the loop and
/// the service's schema. The other instances try again every <see cref="RetryEvery"/>. The lock lives as long as the
/// holder's database session: when the holder stops, is killed or loses its connection, PostgreSQL frees the lock and
/// the next instance to try takes the loop over; a holder that notices its session is gone stops the loop at once.
/// Marten's own daemon elects its leader the same way (DaemonMode.HotCold).
/// </summary>
public sealed class LeaderElection(TokenwiseSettings settings, ILogger<LeaderElection> logger)
{
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    /// <summary>How often the holder checks its session is alive, so a lost connection ends its lead promptly.</summary>
    public static readonly TimeSpan KeepaliveEvery = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _leading = new(StringComparer.Ordinal);

    /// <summary>The loops this instance leads now, each with the moment it took the lead.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Leading => _leading;

    /// <summary>
    /// Runs <paramref name="work"/> whenever this instance holds the lead for <paramref name="loop"/>, until
    /// <paramref name="stoppingToken"/> fires. The work's token fires when the lead is lost; work that ends or fails
    /// gives the lead up and it is contested again. An instance with Tokenwise:RunDaemon=false never leads.
    /// </summary>
    public async Task RunWhileLeadingAsync(
        string loop,
        Func<CancellationToken, Task> work,
        CancellationToken stoppingToken
    )
    {
        if (!settings.RunDaemon)
            return;
        var @lock = new PostgresDistributedLock(
            new PostgresAdvisoryLockKey($"tokenwise:{settings.Schema}:{loop}", allowHashing: true),
            settings.PostgresConnectionString,
            options => options.KeepaliveCadence(KeepaliveEvery)
        );
        while (!stoppingToken.IsCancellationRequested)
        {
            IDistributedSynchronizationHandle? handle = null;
            try
            {
                handle = await @lock.TryAcquireAsync(TimeSpan.Zero, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping while asking for the lead is an ordinary stop, not a failure.
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not ask for the lead of {Loop}: {Message}", loop, e.Message);
            }
            if (handle is not null)
                await LeadAsync(loop, handle, work, stoppingToken);
            try
            {
                await Task.Delay(RetryEvery, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task LeadAsync(
        string loop,
        IDistributedSynchronizationHandle handle,
        Func<CancellationToken, Task> work,
        CancellationToken stoppingToken
    )
    {
        using var lead = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, handle.HandleLostToken);
        _leading[loop] = DateTimeOffset.UtcNow;
        logger.LogInformation("This instance leads {Loop}", loop);
        try
        {
            await work(lead.Token);
        }
        catch (OperationCanceledException) when (lead.IsCancellationRequested) { }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Loop} failed; its lead is given up and contested again", loop);
        }
        finally
        {
            _leading.TryRemove(loop, out _);
            if (handle.HandleLostToken.IsCancellationRequested)
                logger.LogWarning("Lost the lead of {Loop}: the database session that held it is gone", loop);
            try
            {
                await handle.DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The session is gone, and the lock with it.
                logger.LogDebug(e, "Releasing the lead of {Loop} found its session gone", loop);
            }
        }
    }
}
