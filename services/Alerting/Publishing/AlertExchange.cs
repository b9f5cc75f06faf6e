using RabbitMQ.Client;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Publishing;

/// <summary>Declares tokenwise.alerts at start, so subscribers can bind their queues before the first alert.</summary>
public sealed class AlertExchange(TokenwiseSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var connection = await BrokerConnection.OpenAsync(settings, "tokenwise-alerting-declare", ct);
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
