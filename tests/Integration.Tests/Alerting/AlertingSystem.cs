using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Alerting.Watching;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

/// <summary>
/// Ingestion, Accounting and two Alerting instances in-process on real servers: the first runs the daemon (desk,
/// publisher, evaluator), the second only answers HTTP, as a scaled-out gateway-facing instance would.
/// </summary>
public sealed class AlertingSystem : IAsyncLifetime
{
    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public RunningService Alerting { get; private set; } = null!;
    public RunningService SecondAlerting { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>();
    public IAccountingApi Spend => Accounting.Client<IAccountingApi>();
    public IAlertingApi Api => Alerting.Client<IAlertingApi>();
    public IAlertingApi SecondApi => SecondAlerting.Client<IAlertingApi>();

    /// <summary>Alerting's clock (both instances); tests move it forward to see conditions clear.</summary>
    public ShiftedClock Clock { get; } = new();
    public Evaluator Evaluator => Alerting.Services.GetRequiredService<Evaluator>();
    private readonly Dictionary<string, string?> _quiet = new()
    {
        ["Tokenwise:Alerting:EvaluateEverySeconds"] = "3600",
    };

    /// <summary>Stops the daemon instance and starts it again on the same database and broker.</summary>
    public async Task RestartAlertingAsync()
    {
        await Alerting.DisposeAsync();
        Alerting = await RunningService.StartAsync(AlertingHost.Build, Environment, _quiet, Clock);
    }

    /// <summary>The user's spend per minute summed, and the session's cost and requests, as Alerting's rules read them.</summary>
    public async Task<(decimal UserSpend, decimal SessionCost, int SessionRequests)> WatchedAsync(
        string user,
        string session
    )
    {
        await using var connection = new NpgsqlConnection(Environment.Servers.Postgres);
        await connection.OpenAsync();
        var schema = Environment.Schema("alerting");
        await using var command = new NpgsqlCommand(
            $"select coalesce((select sum(cost) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u), 0), "
                + $"coalesce((select sum(cost) from {schema}.session_minutes where session_id = @s), 0), "
                + $"coalesce((select sum(requests) from {schema}.session_minutes where session_id = @s), 0)::int",
            connection
        );
        command.Parameters.AddWithValue("u", user);
        command.Parameters.AddWithValue("s", session);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetDecimal(1), reader.GetInt32(2));
    }

    /// <summary>How many rows of Alerting's tables match: "table where condition".</summary>
    public async Task<long> CountAsync(string tableAndCondition)
    {
        await using var connection = new NpgsqlConnection(Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Environment.Schema("alerting")}.{tableAndCondition}",
            connection
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("alerting");
        // Evaluations are driven by the tests (Evaluator.EvaluateAsync) so they run at known moments.
        Alerting = await RunningService.StartAsync(AlertingHost.Build, Environment, _quiet, Clock);
        SecondAlerting = await RunningService.StartAsync(
            AlertingHost.Build,
            Environment,
            new Dictionary<string, string?>(_quiet) { ["Tokenwise:RunDaemon"] = "false" },
            Clock
        );
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment);
        Ingestion = await RunningService.StartAsync(IngestionHost.Build, Environment);
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await SecondAlerting.DisposeAsync();
        await Alerting.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
