using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// Merges the batch events of one relayed page into fewer, fuller messages (at most <see cref="MaxItems"/> items
/// each): under load many small requests commit many small batches, and a message per batch would cost the broker
/// and every consumer a transaction each. Consumers are idempotent per item, so how items are grouped never matters.
/// </summary>
public static class BatchMerger
{
    public const int MaxItems = 1000;

    /// <summary>Replaces runs of mergeable batches with merged ones; every other message is kept as it is, in order.</summary>
    public static IEnumerable<object> Merge(IEnumerable<object> messages)
    {
        var usage = new List<UsageRecorded>();
        var charges = new List<UsageCharged>();
        foreach (var message in messages)
        {
            switch (message)
            {
                case UsageRecordedBatch batch: usage.AddRange(batch.Items); break;
                case UsageChargedBatch batch: charges.AddRange(batch.Items); break;
                default: yield return message; break;
            }
        }
        foreach (var chunk in usage.Chunk(MaxItems))
            yield return new UsageRecordedBatch { BatchId = BatchIds.Of(chunk.Select(u => u.Key)), Items = chunk };
        foreach (var chunk in charges.Chunk(MaxItems))
            yield return new UsageChargedBatch { BatchId = BatchIds.Of(chunk.Select(c => c.UsageKey)), Items = chunk };
    }
}
