using MassTransit;
using Tokenwise.Alerting.Watching;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>
/// A model without a price is remembered, not alerted on alone: the evaluator raises one unpriced alert that lists the
/// models (UnpricedModels), so a thousand junk names make one alert, not a thousand.
/// </summary>
public sealed class UnpricedModelSeenConsumer(IdempotentWriter writer, ItemIsolation isolation, WatchWriter watch)
    : IConsumer<UnpricedModelSeen>
{
    public Task Consume(ConsumeContext<UnpricedModelSeen> context)
    {
        var ct = context.CancellationToken;
        return isolation.RunAsync(
            context,
            [context.Message],
            items =>
                writer.WriteAsync(
                    write => watch.AddUnpricedAsync(items[0], write.Connection, write.Transaction, ct),
                    ct
                ),
            m => $"unpriced:{m.Provider}/{m.Model}",
            m => m
        );
    }
}

public sealed class UnpricedModelSeenConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UnpricedModelSeenConsumer>(settings, SignalRecorder.Area);
