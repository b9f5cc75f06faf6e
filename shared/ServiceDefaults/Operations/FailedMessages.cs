using System.Text;
using RabbitMQ.Client;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>A message that failed every retry, as it waits in an error queue.</summary>
public sealed record FailedMessage(
    string Queue,
    string? MessageId,
    string? MessageType,
    string? Reason,
    string? ExceptionType,
    DateTimeOffset? FailedAt,
    int BodyBytes
);

/// <summary>
/// Reads and replays this service's error queues ("&lt;queue&gt;_error", where MassTransit moves a message after its
/// last retry, with the reason in its headers). Listing takes each message and puts it back unacknowledged;
/// replaying sends it to the queue it failed on, without the fault headers, and only then removes it.
/// </summary>
public sealed class FailedMessages(TokenwiseSettings settings, ServiceQueues queues)
{
    public const int Limit = 500;

    public async Task<IReadOnlyList<FailedMessage>> ListAsync(CancellationToken ct)
    {
        var found = new List<FailedMessage>();
        await WithErrorQueuesAsync(
            async (channel, queue) =>
            {
                BasicGetResult? got;
                var taken = 0;
                while (
                    found.Count < Limit && (got = await channel.BasicGetAsync(queue, autoAck: false, ct)) is not null
                )
                {
                    taken++;
                    found.Add(Describe(queue, got));
                }
                // Back in the queue, unchanged, for the next look or a replay.
                if (taken > 0)
                    await channel.BasicNackAsync(0, multiple: true, requeue: true, ct);
            },
            ct
        );
        return found;
    }

    /// <summary>Sends failed messages back to their queue (all, or those with the id); returns how many.</summary>
    public async Task<int> ReplayAsync(string? messageId, CancellationToken ct)
    {
        var replayed = 0;
        await WithErrorQueuesAsync(
            async (channel, queue) =>
            {
                var target = queue[..^"_error".Length];
                var keep = new List<ulong>();
                BasicGetResult? got;
                while ((got = await channel.BasicGetAsync(queue, autoAck: false, ct)) is not null)
                {
                    if (messageId is not null && got.BasicProperties.MessageId != messageId)
                    {
                        keep.Add(got.DeliveryTag);
                        continue;
                    }
                    var properties = new BasicProperties(got.BasicProperties)
                    {
                        Headers = got
                            .BasicProperties.Headers?.Where(h =>
                                !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && h.Key != "MT-Reason"
                            )
                            .ToDictionary(h => h.Key, h => h.Value),
                    };
                    await channel.BasicPublishAsync("", target, false, properties, got.Body, ct);
                    await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
                    replayed++;
                }
                foreach (var tag in keep)
                    await channel.BasicNackAsync(tag, multiple: false, requeue: true, ct);
            },
            ct
        );
        return replayed;
    }

    /// <summary>How many messages wait in each of this service's error queues (by the queue they failed on).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken ct)
    {
        var counts = queues.Names.ToDictionary(q => q, _ => 0L, StringComparer.Ordinal);
        await WithErrorQueuesAsync(
            async (channel, queue) =>
                counts[queue[..^"_error".Length]] = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount,
            ct
        );
        return counts;
    }

    private async Task WithErrorQueuesAsync(Func<IChannel, string, Task> action, CancellationToken ct)
    {
        await using var connection = await BrokerConnection.OpenAsync(
            settings,
            $"tokenwise-{settings.ServiceName.ToLowerInvariant()}-ops",
            ct
        );
        foreach (var queue in queues.Names.Select(q => q + "_error"))
        {
            // A channel per queue: a passive declare of a queue that does not exist (nothing failed yet) closes it.
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), ct);
            try
            {
                await channel.QueueDeclarePassiveAsync(queue, ct);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                continue;
            }
            await action(channel, queue);
        }
    }

    private static FailedMessage Describe(string queue, BasicGetResult got)
    {
        var headers = got.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) =>
            headers.TryGetValue(name, out var value)
                ? value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    null => null,
                    var other => other.ToString(),
                }
                : null;
        return new FailedMessage(
            queue[..^"_error".Length],
            got.BasicProperties.MessageId,
            Header("MT-Fault-MessageType") ?? got.BasicProperties.Type,
            Header("MT-Fault-Message") ?? Header("MT-Reason"),
            Header("MT-Fault-ExceptionType"),
            DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), out var at) ? at : null,
            got.Body.Length
        );
    }
}
