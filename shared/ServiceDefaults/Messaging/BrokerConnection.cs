using RabbitMQ.Client;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// A RabbitMQ connection of our own (outside MassTransit: the alert exchange, the error-queue listings) to the first
/// node of TOKENWISE_RABBITMQ_NODES that answers, or to TOKENWISE_RABBITMQ's host when no nodes are listed, with its
/// user, password and virtual host either way.
/// </summary>
public static class BrokerConnection
{
    public static Task<IConnection> OpenAsync(TokenwiseSettings settings, string name, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = settings.RabbitMqUri, ClientProvidedName = name };
        return settings.BrokerNodes.Count == 0
            ? factory.CreateConnectionAsync(ct)
            : factory.CreateConnectionAsync(
                settings.BrokerNodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList(),
                ct
            );
    }
}
