using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tokenwise.ServiceDefaults.Leadership;

/// <summary>
/// /health/ready names the singleton loops this instance leads and since when, and "projection-daemon" when Marten's
/// daemon (HotCold) runs here, so an operator (and the high-availability suite) can see which instance runs what.
/// Leading nothing is healthy: another instance does.
/// </summary>
internal sealed class LeadershipHealthCheck(LeaderElection election, IServiceProvider services) : IHealthCheck
{
    public const string ProjectionDaemon = "projection-daemon";

    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        var leading = election.Leading.ToDictionary(l => l.Key, l => (object)l.Value);
        if (services.GetService<IProjectionCoordinator>()?.DaemonForMainDatabase().IsRunning == true)
            leading[ProjectionDaemon] = true;
        return Task.FromResult(
            HealthCheckResult.Healthy(
                leading.Count == 0
                    ? "leads nothing (another instance does)"
                    : $"leads {string.Join(", ", leading.Keys.Order())}",
                leading
            )
        );
    }
}
