using Npgsql;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// Once a minute, revokes the keys of sessions that ended unused and removes them. Every console instance sweeps;
/// the rows one takes are skipped by the others, so each key is revoked once.
/// </summary>
public sealed class EndedSessionsSweep(SessionTickets sessions, TimeProvider clock, ILogger<EndedSessionsSweep> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await sessions.EndExpiredAsync(null, stoppingToken) == SessionTickets.EndedPerSweep) { }
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "Ended sessions were not swept; the next sweep tries again");
            }
        }
    }
}
