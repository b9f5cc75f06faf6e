using Npgsql;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Alerting.Watching;

/// <summary>At start-up, after Marten has created the tables: the triggers that keep <c>spend_hours</c>.</summary>
public sealed class WatchTablesSetup(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        await WatchTables.SpendHoursRollup(settings.Schema).InstallAsync(connection, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
