using Npgsql;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Outcomes.Storage;

/// <summary>At start-up, after Marten has created the tables: the triggers that keep the daily usage tables.</summary>
public sealed class OutcomesDatabaseSetup(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        await UsageDailyTable.Rollup(settings.Schema).InstallAsync(connection, cancellationToken);
        await UsageDailyTable.ByPersonRollup(settings.Schema).InstallAsync(connection, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
