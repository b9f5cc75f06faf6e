using RabbitMQ.Client;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Alerting.Publishing;

/// <summary>Declares tokenwise.alerts at start, so subscribers can bind their queues before the first alert.</summary>
public sealed class AlertExchange(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = settings.RabbitMqUri,
            ClientProvidedName = "tokenwise-alerting-declare",
        };
        await using var connection = await factory.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.ExchangeDeclareAsync(
            AlertPublisher.Exchange,
            ExchangeType.Topic,
            durable: true,
            autoDelete: false,
            cancellationToken: ct
        );
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
