using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Tokenwise.Benchmarks;

/// <summary>
/// The broker's ceiling here: one message per event (the same JSON as the load), published persistent with
/// publisher confirms (tracked, 8 concurrent publishers) to a durable queue, then consumed with acks in batches.
/// </summary>
internal static class RabbitBaseline
{
    public static async Task<(double Published, double Consumed)> MessagesPerSecond(Uri broker, int messages)
    {
        var factory = new ConnectionFactory { Uri = broker };
        await using var connection = await factory.CreateConnectionAsync();
        var queue = "bench-raw-" + Guid.NewGuid().ToString("N")[..8];
        await using (var setup = await connection.CreateChannelAsync())
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var bodies = Enumerable
            .Range(0, messages)
            .Select(n => JsonSerializer.SerializeToUtf8Bytes(Workload.Event("raw", n)))
            .ToList();

        var publishing = Stopwatch.StartNew();
        long next = -1;
        await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(async _ =>
                {
                    await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
                    var pending = new List<Task>();
                    for (var n = Interlocked.Increment(ref next); n < messages; n = Interlocked.Increment(ref next))
                    {
                        pending.Add(
                            channel
                                .BasicPublishAsync(
                                    "",
                                    queue,
                                    false,
                                    new BasicProperties
                                    {
                                        DeliveryMode = DeliveryModes.Persistent,
                                        ContentType = "application/json",
                                    },
                                    bodies[(int)n]
                                )
                                .AsTask()
                        );
                        if (pending.Count == 100)
                        {
                            await Task.WhenAll(pending);
                            pending.Clear();
                        }
                    }
                    await Task.WhenAll(pending);
                })
        );
        var published = messages / publishing.Elapsed.TotalSeconds;

        var consuming = Stopwatch.StartNew();
        await using var consumerChannel = await connection.CreateChannelAsync();
        await consumerChannel.BasicQosAsync(0, 500, false);
        var received = 0;
        var done = new TaskCompletionSource();
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            JsonDocument.Parse(delivery.Body).Dispose(); // a consumer reads what it gets
            if (++received % 100 == 0 || received == messages)
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            if (received == messages)
                done.TrySetResult();
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var consumed = messages / consuming.Elapsed.TotalSeconds;
        await consumerChannel.QueueDeleteAsync(queue);
        return (published, consumed);
    }
}
