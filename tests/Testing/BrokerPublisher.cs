using System.Text.Json;
using RabbitMQ.Client;

namespace Tokenwise.Testing;

/// <summary>
/// Publishes a message straight to an environment's broker as any AMQP client could, in MassTransit's envelope on
/// the exchange of the message's type: what an attacker with broker access would send.
/// </summary>
public static class BrokerPublisher
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task PublishAsync<T>(IsolatedEnvironment environment, T message)
        where T : class
    {
        var type = typeof(T);
        var exchange = $"{type.Namespace}:{type.Name}";
        var envelope = new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { $"urn:message:{exchange}" },
            sentTime = DateTimeOffset.UtcNow,
            message,
        };
        await using var connection = await new ConnectionFactory { Uri = environment.RabbitMq }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)
        );
        await channel.BasicPublishAsync(
            exchange,
            "",
            mandatory: false,
            new BasicProperties
            {
                ContentType = "application/vnd.masstransit+json",
                DeliveryMode = DeliveryModes.Persistent,
            },
            JsonSerializer.SerializeToUtf8Bytes(envelope, Json)
        );
    }
}
