using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Health;

/// <summary>Ready only when PostgreSQL answers a query within the check's time.</summary>
internal sealed class PostgresHealthCheck(TokenwiseSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", e);
        }
    }
}
