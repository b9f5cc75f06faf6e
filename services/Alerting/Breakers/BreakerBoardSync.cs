using System.Data;
using Marten;
using MassTransit;
using Npgsql;
using Tokenwise.Alerting.Watching;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Breakers;

/// <summary>Fills the board at start from the stored breakers, then refreshes who is in which team every few seconds.</summary>
public sealed class BreakerBoardSync(
    IDocumentStore store,
    BreakerBoard board,
    TokenwiseSettings settings,
    ILogger<BreakerBoardSync> logger
) : BackgroundService
{
    public static readonly TimeSpan TeamsEvery = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken ct)
    {
        // Before the host is ready: a gateway must never get an answer from an empty board.
        await using (var session = store.QuerySession())
            foreach (var stored in await session.Query<BreakerDocument>().ToListAsync(ct))
                board.Apply(stored.Breaker);
        await RefreshTeamsAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TeamsEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshTeamsAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Refreshing teams for breaker checks failed; keeping the last ones");
            }
        }
    }

    private async Task RefreshTeamsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select user_id, team
            from {settings.Schema}.{WatchTables.People}
            where team is not null
            """,
            connection
        );
        var teams = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            teams[reader.GetString("user_id")] = reader.GetString("team");
        board.SetTeams(teams);
    }
}

/// <summary>
/// Every instance's own copy of breaker changes, signed by the instance that decided them: a forged one (opening a
/// colleague's breaker, or lifting one with an override) is refused and logged. A replayed one changes nothing, as the
/// board keeps the highest version.
/// </summary>
public sealed class BreakerChangesConsumer(BreakerBoard board, ControlSigner signer) : IConsumer<BreakerChanged>
{
    public Task Consume(ConsumeContext<BreakerChanged> context)
    {
        if (signer.Verify(context.Message))
            board.Apply(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class BreakerChangesConsumerDefinition : ConsumerDefinition<BreakerChangesConsumer>
{
    // A queue per instance, deleted when the instance goes: every instance must see every change.
    public BreakerChangesConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = InstanceQueue.NameFor("alerting", "breakers");
            e.Temporary = true;
        });
        // In the order they were published: rare, and cheap to apply.
        ConcurrentMessageLimit = 1;
    }
}
