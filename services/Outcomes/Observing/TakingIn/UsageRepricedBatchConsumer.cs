using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Observing.TakingIn;

/// <summary>
/// A correction sets the cost its price book gives, and only over a cost from an earlier book: applying it twice,
/// or after a later one, changes nothing, so it needs no claim. One that overtook its charge inserts the row, which
/// is observed (attributed) when the charge arrives and completes it.
/// </summary>
public sealed class UsageRepricedBatchConsumer(IdempotentWriter writer, ItemIsolation isolation, OutcomeStore store)
    : IConsumer<UsageRepricedBatch>
{
    public Task Consume(ConsumeContext<UsageRepricedBatch> context) =>
        isolation.RunAsync(
            context,
            context.Message.Items,
            items => CorrectAsync(items, context.CancellationToken),
            Correction.KeyOf,
            i => new UsageRepricedBatch { BatchId = BatchIds.Of([Correction.KeyOf(i)]), Items = [i] }
        );

    private Task CorrectAsync(IReadOnlyList<UsageRepriced> items, CancellationToken ct) =>
        writer.WriteAsync(
            async write =>
            {
                var corrected = items
                    .OrderByDescending(i => i.Charge.BookVersion)
                    .Select(i => ObservedUsage.Of(i.Charge))
                    .DistinctBy(u => u.UsageKey)
                    .ToList();
                var (_, changed) = await store.ApplyCorrectionsAsync(
                    corrected,
                    write.Connection,
                    write.Transaction,
                    ct
                );
                if (changed.Count == 0)
                    return;
                write.Session.Events.Append(
                    "corrected:" + BatchIds.Of(items.Select(Correction.KeyOf)),
                    new CostsCorrected(items.Select(i => i.Charge).Where(c => changed.Contains(c.UsageKey)).ToList())
                );
            },
            ct
        );
}

public sealed class UsageRepricedBatchConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UsageRepricedBatchConsumer>(
        settings,
        ObservingQueue.Area,
        ObservingQueue.ConcurrentMessageLimit
    );
