using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching.TakingIn;

/// <summary>
/// A price correction changes what watched usage cost: the difference goes to its minutes. Each correction is claimed
/// by its charge and the price book it was made with, so a redelivery adds nothing and a second correction under the
/// same price version (a new discount) adds its own difference. Differences add up in any order, so a correction that
/// overtakes its charge is right once both are in.
/// </summary>
public sealed class UsageRepricedBatchConsumer(IdempotentWriter writer, ItemIsolation isolation, WatchWriter watch)
    : IConsumer<UsageRepricedBatch>
{
    public Task Consume(ConsumeContext<UsageRepricedBatch> context)
    {
        var ct = context.CancellationToken;
        return isolation.RunAsync(
            context,
            context.Message.Items,
            items => CorrectAsync(items, ct),
            Correction.KeyOf,
            i => new UsageRepricedBatch { BatchId = BatchIds.Of([Correction.KeyOf(i)]), Items = [i] }
        );
    }

    private Task CorrectAsync(IReadOnlyList<UsageRepriced> items, CancellationToken ct) =>
        writer.WriteOnceAsync(
            items,
            i => "reprice:" + Correction.KeyOf(i),
            (fresh, write) => watch.CorrectCostsAsync(fresh, write.Connection, write.Transaction, ct),
            ct
        );
}

public sealed class UsageRepricedBatchConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UsageRepricedBatchConsumer>(settings, WatchQueue.Area, WatchQueue.ConcurrentMessageLimit);
