using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// Merges the usage batches of one relayed page into fewer, fuller messages (at most <see cref="MaxItems"/> items
/// each): under load many small requests commit many small batches, and a message per batch would cost the broker
/// and Accounting a transaction each. Accounting claims each usage, so how recorded usage is grouped never matters.
/// Charged batches are relayed as they are, never merged: Accounting already charges a whole merged message as one
/// batch, and Alerting claims charged usage by batch id, which must name the same usages every time it is relayed.
/// </summary>
public static class BatchMerger
{
    public const int MaxItems = 1000;

    /// <summary>Replaces runs of usage batches with merged ones; every other message is kept as it is, in order.</summary>
    public static IEnumerable<object> Merge(IEnumerable<object> messages)
    {
        var usage = new List<UsageRecorded>();
        foreach (var message in messages)
        {
            if (message is UsageRecordedBatch batch)
                usage.AddRange(batch.Items);
            else
                yield return message;
        }
        foreach (var chunk in usage.Chunk(MaxItems))
            yield return new UsageRecordedBatch { BatchId = BatchIds.Of(chunk.Select(u => u.Key)), Items = chunk };
    }
}
