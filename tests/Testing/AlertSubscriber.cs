using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Tokenwise.Testing;

/// <summary>One message as an ops team's subscriber sees it on tokenwise.alerts.</summary>
public sealed record ReceivedAlert(string RoutingKey, string? ContentType, JsonElement Body)
{
    public string Text(string property) => Body.GetProperty(property).GetString()!;
}

/// <summary>
/// A plain AMQP subscriber (RabbitMQ.Client, no MassTransit): an exclusive queue bound to tokenwise.alerts with the
/// given binding keys, exactly as the README tells ops teams to do it.
/// </summary>
public sealed class AlertSubscriber : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<ReceivedAlert> _received = new();

    private AlertSubscriber(IConnection connection, IChannel channel) =>
        (_connection, _channel) = (connection, channel);

    public IReadOnlyList<ReceivedAlert> Received => _received.ToList();

    public static async Task<AlertSubscriber> BindAsync(IsolatedEnvironment environment, params string[] bindingKeys)
    {
        var connection = await new ConnectionFactory { Uri = environment.RabbitMq }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        foreach (var key in bindingKeys)
            await channel.QueueBindAsync(queue.QueueName, "tokenwise.alerts", key);
        var subscriber = new AlertSubscriber(connection, channel);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            using var body = JsonDocument.Parse(delivery.Body);
            subscriber._received.Enqueue(
                new ReceivedAlert(delivery.RoutingKey, delivery.BasicProperties.ContentType, body.RootElement.Clone())
            );
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return subscriber;
    }

    public Task<IReadOnlyList<ReceivedAlert>> WaitForAsync(
        Func<ReceivedAlert, bool> matches,
        string description,
        int count = 1
    ) =>
        Eventually.Until(
            () => Task.FromResult<IReadOnlyList<ReceivedAlert>>(Received.Where(matches).ToList()),
            found => found.Count >= count,
            description
        );

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
