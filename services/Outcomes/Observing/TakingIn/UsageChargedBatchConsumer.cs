using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Observing.TakingIn;

/// <summary>
/// Takes charged usage in once: usage_facts' primary key is the claim, in the transaction that appends the
/// <see cref="UsageObserved"/> the attribution subscription reacts to. An item that cannot be taken in is quarantined
/// alone (ItemIsolation).
/// </summary>
public sealed class UsageChargedBatchConsumer(IdempotentWriter writer, ItemIsolation isolation, OutcomeStore store)
    : IConsumer<UsageChargedBatch>
{
    public Task Consume(ConsumeContext<UsageChargedBatch> context) =>
        isolation.RunAsync(
            context,
            context.Message.Items,
            items => ObserveAsync(items, context.CancellationToken),
            c => c.UsageKey,
            c => new UsageChargedBatch { BatchId = BatchIds.Of([c.UsageKey]), Items = [c] }
        );

    private Task ObserveAsync(IReadOnlyList<UsageCharged> items, CancellationToken ct) =>
        writer.WriteAsync(
            async write =>
            {
                // usage_facts' primary key is the claim: only usage taken in now is observed (and attributed) now.
                var observed = items.Select(ObservedUsage.Of).DistinctBy(u => u.UsageKey).ToList();
                var inserted = await store.InsertUsageAsync(observed, write.Connection, write.Transaction, ct);
                if (inserted.Count == 0)
                    return;
                var fresh = observed.Where(u => inserted.Contains(u.UsageKey)).ToList();
                write.Session.Events.Append(
                    "observed:" + BatchIds.Of(fresh.Select(u => u.UsageKey)),
                    new UsageObserved(fresh)
                );
            },
            ct
        );
}

public sealed class UsageChargedBatchConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UsageChargedBatchConsumer>(
        settings,
        ObservingQueue.Area,
        ObservingQueue.ConcurrentMessageLimit
    );
