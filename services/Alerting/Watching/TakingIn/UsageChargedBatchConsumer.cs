using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching.TakingIn;

/// <summary>
/// Takes charged usage in once for the watch rules. A charged batch is claimed whole
/// (<see cref="WatchWriter.ClaimBatchAsync"/>); when it cannot be watched whole it is marked isolated and taken in a
/// part at a time, each usage claimed alone, so the items that fail are quarantined and the rest count once, also when
/// the batch is delivered again.
/// </summary>
public sealed class UsageChargedBatchConsumer(IdempotentWriter writer, ItemIsolation isolation, WatchWriter watch)
    : IConsumer<UsageChargedBatch>
{
    public async Task Consume(ConsumeContext<UsageChargedBatch> context)
    {
        var batch = context.Message;
        var ct = context.CancellationToken;
        // A batch of one is what a replay sends: claimed by its usage, as the parts of an isolated batch are.
        if (batch.Items.Count > 1 && await WatchWholeAsync(batch, ct) != BatchClaim.Isolated)
            return;
        await isolation.RunAsync(
            context,
            batch.Items,
            part => WatchPartAsync(part, ct),
            c => c.UsageKey,
            c => new UsageChargedBatch { BatchId = BatchIds.Of([c.UsageKey]), Items = [c] }
        );
    }

    /// <summary>
    /// Claimed per batch, not per usage: Accounting charges each usage in exactly one batch and relays each batch as it
    /// is (BatchMerger), so a batch id always names the same usages. Isolated when it cannot be watched whole.
    /// </summary>
    private async Task<BatchClaim> WatchWholeAsync(UsageChargedBatch batch, CancellationToken ct)
    {
        try
        {
            var claim = BatchClaim.Watched;
            await writer.WriteAsync(
                async write =>
                {
                    claim = await watch.ClaimBatchAsync(batch, write.Connection, write.Transaction, ct);
                    if (claim == BatchClaim.New)
                        await watch.AddUsageAsync(
                            batch.Items.Select(WatchedUsage.Of).ToList(),
                            write.Connection,
                            write.Transaction,
                            ct
                        );
                },
                ct
            );
            return claim;
        }
        catch (Exception e) when (!Failures.IsTransient(e) && !ct.IsCancellationRequested)
        {
            await writer.WriteAsync(
                write => watch.MarkIsolatedAsync(batch, write.Connection, write.Transaction, ct),
                ct
            );
            return BatchClaim.Isolated;
        }
    }

    private Task WatchPartAsync(IReadOnlyList<UsageCharged> part, CancellationToken ct) =>
        writer.WriteOnceAsync(
            part,
            c => "watched:" + c.UsageKey,
            (fresh, write) =>
                watch.AddUsageAsync(fresh.Select(WatchedUsage.Of).ToList(), write.Connection, write.Transaction, ct),
            ct
        );
}

/// <summary>
/// Batches add to the same users' and sessions' minute rows; WatchWriter writes those last so that concurrent batches
/// wait on each other only for the commit (more than 4 at once queued on the row locks).
/// </summary>
public sealed class UsageChargedBatchConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UsageChargedBatchConsumer>(settings, WatchQueue.Area, WatchQueue.ConcurrentMessageLimit);
