using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Charges each recorded usage once. The relay delivers at least once, so the batch's items are claimed by key in
/// the same transaction that appends their charges: a redelivered batch finds its keys taken and appends nothing.
/// </summary>
public sealed class UsageRecordedBatchConsumer(IdempotentWriter writer, ILogger<UsageRecordedBatchConsumer> logger)
    : IConsumer<UsageRecordedBatch>
{
    public async Task Consume(ConsumeContext<UsageRecordedBatch> context)
    {
        var items = context.Message.Items;
        var fresh = await writer.WriteOnceAsync(items.Select(u => ChargeUsage.ClaimKey(u.Key)), (claimed, session) =>
        {
            var charges = items.Where(u => claimed.Contains(ChargeUsage.ClaimKey(u.Key))).Select(ChargeUsage.Decide).ToList();
            var batchId = BatchIds.Of(charges.Select(c => c.UsageKey));
            session.Events.Append(ChargeUsage.StreamKey(batchId), new UsageChargedBatch { BatchId = batchId, Items = charges });
        }, context.CancellationToken);
        if (fresh.Count < items.Count)
            logger.LogDebug("Batch {BatchId}: {Duplicates} of {Count} usages were already charged", context.Message.BatchId,
                items.Count - fresh.Count, items.Count);
    }
}
