using MassTransit;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// One bad item costs only itself. A consumer processes a batch through here: when it fails for a reason retrying will
/// not cure (<see cref="Failures"/>), the batch is halved and each half tried on its own, until the items that fail
/// are alone; those are quarantined, the rest are processed. A transient failure is thrown, so the message is retried
/// whole with backoff; every part is idempotent, so what committed before counts once.
/// </summary>
public sealed class ItemIsolation(Func<QuarantineRequest, CancellationToken, Task> setAside)
{
    /// <param name="context">The message being consumed: its queue is where a replay goes.</param>
    /// <param name="items">The batch's items (or the one message, as a list of one).</param>
    /// <param name="process">Processes some of the items in one transaction of its own.</param>
    /// <param name="keyOf">The item's idempotency key, which names it in the quarantine.</param>
    /// <param name="replayable">The message that replays this item alone.</param>
    public Task RunAsync<T>(
        ConsumeContext context,
        IReadOnlyList<T> items,
        Func<IReadOnlyList<T>, Task> process,
        Func<T, string> keyOf,
        Func<T, object> replayable
    ) => RunAsync(QueueOf(context), items, process, keyOf, replayable, context.CancellationToken);

    public async Task RunAsync<T>(
        string queue,
        IReadOnlyList<T> items,
        Func<IReadOnlyList<T>, Task> process,
        Func<T, string> keyOf,
        Func<T, object> replayable,
        CancellationToken ct
    )
    {
        if (items.Count == 0)
            return;
        try
        {
            await process(items);
        }
        catch (Exception e) when (!Failures.IsTransient(e) && !ct.IsCancellationRequested)
        {
            if (items.Count == 1)
            {
                await setAside(new QuarantineRequest(queue, keyOf(items[0]), replayable(items[0]), e), ct);
                return;
            }
            var half = items.Count / 2;
            await RunAsync(queue, items.Take(half).ToList(), process, keyOf, replayable, ct);
            await RunAsync(queue, items.Skip(half).ToList(), process, keyOf, replayable, ct);
        }
    }

    /// <summary>The queue a message was received from: the last segment of its input address.</summary>
    public static string QueueOf(ConsumeContext context) =>
        context.ReceiveContext.InputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1];
}
