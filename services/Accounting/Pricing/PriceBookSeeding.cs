using Npgsql;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Accounting.Pricing;

/// <summary>Creates the price-book version row at start-up (after Marten has created the tables).</summary>
public sealed class PriceBookSeeding(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var seed = new NpgsqlCommand(PriceBookVersionTable.Seed(settings.Schema), connection);
        await seed.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
