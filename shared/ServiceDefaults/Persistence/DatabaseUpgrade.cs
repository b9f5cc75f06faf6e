using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// A service's own step before Marten applies its schema at start: a read model whose key changed, which Marten will
/// not migrate, is dropped here and its projection reset, and the daemon projects it again from the events.
/// </summary>
internal sealed class DatabaseUpgrade(TokenwiseSettings settings, Func<NpgsqlConnection, string, CancellationToken, Task> upgrade) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        await upgrade(connection, settings.Schema, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
