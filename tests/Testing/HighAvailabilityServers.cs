namespace Tokenwise.Testing;

/// <summary>
/// The highly available servers, started by the scripts a person would use: a PostgreSQL primary with a synchronous
/// standby (infra/postgres-standby.sh; the services get a multi-host connection string) and a three-node RabbitMQ
/// cluster (infra/rabbitmq-cluster.sh; the services get every node).
/// </summary>
public static class HighAvailabilityServers
{
    public static async Task<Servers> StartAsync()
    {
        var postgres = await Scripts.ExportsAsync("infra/postgres-standby.sh start");
        var rabbit = await Scripts.ExportsAsync("infra/rabbitmq-cluster.sh start");
        return new Servers(
            postgres["TOKENWISE_POSTGRES"],
            postgres["TOKENWISE_POSTGRES_ADMIN"],
            new Uri(rabbit["TOKENWISE_RABBITMQ"]),
            new Uri(rabbit["TOKENWISE_RABBITMQ_MANAGEMENT"])
        )
        {
            RabbitMqNodes = rabbit["TOKENWISE_RABBITMQ_NODES"],
        };
    }

    /// <summary>The primary stops at once, as in a crash, and the standby is promoted.</summary>
    public static Task PromoteStandbyAsync() => Scripts.RunAsync("infra/postgres-standby.sh promote");

    /// <param name="node">1, 2 or 3.</param>
    public static Task StopBrokerNodeAsync(int node) => Scripts.RunAsync($"infra/rabbitmq-cluster.sh stop-node {node}");

    public static Task StartBrokerNodeAsync(int node) =>
        Scripts.RunAsync($"infra/rabbitmq-cluster.sh start-node {node}");
}
