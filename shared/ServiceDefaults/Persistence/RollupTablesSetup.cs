using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>At start-up, after Marten has created the tables: the triggers that keep a service's rolled-up tables.</summary>
public sealed class RollupTablesSetup(TokenwiseSettings settings, IReadOnlyList<Func<string, RollupTable>> rollups)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var rollup in rollups)
            await rollup(settings.Schema).InstallAsync(connection, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RollupTablesSetupExtensions
{
    /// <summary>Installs the rolled-up tables (each given by its schema) at start, in this order.</summary>
    public static IServiceCollection AddRollupTables(
        this IServiceCollection services,
        params Func<string, RollupTable>[] rollups
    ) =>
        services.AddHostedService(provider => new RollupTablesSetup(
            provider.GetRequiredService<TokenwiseSettings>(),
            rollups
        ));
}
