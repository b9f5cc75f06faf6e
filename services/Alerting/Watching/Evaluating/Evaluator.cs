using Marten;
using Npgsql;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Breakers;
using Tokenwise.Alerting.Rules;
using Tokenwise.Alerting.Signals;
using Tokenwise.Alerting.Watching;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Leadership;

namespace Tokenwise.Alerting.Watching.Evaluating;

/// <summary>
/// Every few seconds (Tokenwise:Alerting:EvaluateEverySeconds, default 5), on the one instance that leads it
/// (<see cref="LeaderElection"/>): runs the burn-rate,
/// runaway, ping-pong and unpriced-model rules over what was watched, clears what no longer holds (burn rate back down, quiet
/// sessions, ended budget periods) and finds breakers whose period ended. Its findings are signals for the desk.
/// </summary>
public sealed class Evaluator(
    IServiceProvider services,
    TokenwiseSettings settings,
    LeaderElection election,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<Evaluator> logger
) : BackgroundService
{
    private TimeSpan Every =>
        TimeSpan.FromSeconds(configuration.GetValue("Tokenwise:Alerting:EvaluateEverySeconds", 5.0));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        election.RunWhileLeadingAsync(
            "alert-evaluator",
            async lead =>
            {
                using var timer = new PeriodicTimer(Every, clock);
                while (await timer.WaitForNextTickAsync(lead))
                {
                    try
                    {
                        await EvaluateAsync(lead);
                    }
                    catch (Exception e) when (!lead.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Evaluating the watch rules failed; trying again in {Every}", Every);
                    }
                }
            },
            stoppingToken
        );

    public async Task EvaluateAsync(CancellationToken ct)
    {
        var rules = await services.GetRequiredService<RuleBook>().CurrentAsync(ct);
        var reader = services.GetRequiredService<WatchReader>();
        var store = services.GetRequiredService<IDocumentStore>();
        var now = clock.GetUtcNow();
        List<Alert> open;
        List<BreakerDocument> due;
        DateTimeOffset unpricedSince;
        var unpricedSlot = new AlertSignal
        {
            Kind = AlertKinds.Unpriced,
            Scope = UnpricedModels.Scope,
            At = now,
        }.Slot;
        await using (var query = store.QuerySession())
        {
            open = (await query.Query<Alert>().Where(a => a.Status != AlertStatuses.Resolved).ToListAsync(ct)).ToList();
            due = (
                await query
                    .Query<BreakerDocument>()
                    .Where(b => b.Breaker.State == BreakerStates.Open && b.Breaker.Until <= now)
                    .ToListAsync(ct)
            ).ToList();
            unpricedSince =
                (
                    await query
                        .Query<Alert>()
                        .Where(a => a.Slot == unpricedSlot && a.Status == AlertStatuses.Resolved)
                        .OrderByDescending(a => a.UpdatedAt)
                        .FirstOrDefaultAsync(ct)
                )?.UpdatedAt
                ?? DateTimeOffset.MinValue;
        }
        var openSlots = open.Select(a => a.Slot).ToHashSet();
        bool Worth(AlertSignal s) => s.Holds || openSlots.Contains(s.Slot);

        var signals = new List<AlertSignal>();
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        var openBurn = open.Where(a => a.Kind == AlertKinds.BurnRate).Select(a => a.Scope).ToList();
        signals.AddRange(
            (await reader.SpendWindowsAsync(connection, now, rules.BurnRate, openBurn, ct))
                .Select(w => BurnRate.Evaluate(w, rules.BurnRate, now))
                .Where(Worth)
        );
        var openRunaway = open.Where(a => a.Kind == AlertKinds.Runaway).Select(a => a.Scope.Id).ToList();
        signals.AddRange(
            (await reader.SessionsAsync(connection, now, rules.Runaway, openRunaway, ct))
                .Select(s => Runaway.Evaluate(s, rules.Runaway, now))
                .Where(Worth)
        );
        var playing = (await reader.LanesAsync(connection, now, rules.TokenBurn, ct))
            .Where(l => PingPong.Detect(l.Requests, rules.TokenBurn))
            .ToList();
        var windowCounts = await reader.LaneRequestCountsAsync(
            connection,
            now,
            rules.TokenBurn,
            playing.Select(p => p.User).ToList(),
            ct
        );
        signals.AddRange(
            playing.Select(p =>
                PingPong.Finding(p.User, p.Manager, windowCounts.GetValueOrDefault(p.User), rules.TokenBurn, now)
            )
        );
        signals.AddRange(
            open.Where(a =>
                    a.Kind == AlertKinds.Budget
                    && a.Links?.GetValueOrDefault("periodEnd") is { } end
                    && DateTimeOffset.Parse(end) <= now
                )
                .Select(a => new AlertSignal
                {
                    Kind = a.Kind,
                    Scope = a.Scope,
                    At = now,
                    Holds = false,
                    Detail = "a new budget period began",
                })
        );
        if (
            UnpricedModels.Evaluate(
                await reader.UnpricedAsync(connection, unpricedSince, ct),
                open.FirstOrDefault(a => a.Slot == unpricedSlot),
                now
            ) is
            { } unpriced
        )
            signals.Add(unpriced);
        await reader.PruneAsync(connection, now, rules, ct);

        if (signals.Count == 0 && due.Count == 0)
            return;
        await using var session = store.LightweightSession();
        if (signals.Count > 0)
            session.Events.Append($"evaluation:{now.UtcTicks}", new SignalsObserved(signals));
        if (due.Count > 0)
            session.Events.Append($"breakers-due:{now.UtcTicks}", new BreakersDue(due.Select(b => b.Id).ToList(), now));
        await session.SaveChangesAsync(ct);
    }
}
