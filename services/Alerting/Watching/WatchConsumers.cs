using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Watching;

// Alerting's record of what it watched, so its tables can be rebuilt from its own events.

/// <summary>One charged batch watched: what the rules read of each usage.</summary>
public sealed record ChargesWatched(string BatchId, IReadOnlyList<WatchedUsage> Items);

public sealed record CostsCorrectedWatched(IReadOnlyList<UsageRepriced> Items);
public sealed record PromptWatched(ActivityRecorded Prompt);
public sealed record DirectoryWatched(UserDirectoryChanged Change);

/// <summary>
/// Takes charged usage, corrections, user prompts and directory changes in once each for the watch rules. A charged
/// batch is claimed whole (<see cref="WatchLedger.ClaimBatchAsync"/>); when it cannot be watched whole it is marked
/// isolated and taken in a part at a time, each usage claimed alone, so the items that fail are quarantined and the
/// rest count once, also when the batch is delivered again.
/// </summary>
public sealed class WatchConsumers(IdempotentWriter writer, ItemIsolation isolation, WatchLedger ledger, ControlSigner signer)
    : IConsumer<UsageChargedBatch>, IConsumer<UsageRepricedBatch>, IConsumer<ActivityRecorded>, IConsumer<UserDirectoryChanged>
{
    public async Task Consume(ConsumeContext<UsageChargedBatch> context)
    {
        var batch = context.Message;
        var ct = context.CancellationToken;
        // A batch of one is what a replay sends: claimed by its usage, as the parts of an isolated batch are.
        if (batch.Items.Count > 1 && await WatchWholeAsync(batch, ct) != BatchClaim.Isolated) return;
        await isolation.RunAsync(context, batch.Items, part => WatchPartAsync(part, ct), c => c.UsageKey,
            c => new UsageChargedBatch { BatchId = BatchIds.Of([c.UsageKey]), Items = [c] });
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
            await writer.WriteAsync(async write =>
            {
                claim = await ledger.ClaimBatchAsync(batch, write.Connection, write.Transaction, ct);
                if (claim != BatchClaim.New) return;
                var watched = batch.Items.Select(WatchedUsage.Of).ToList();
                await ledger.AddUsageAsync(watched, write.Connection, write.Transaction, ct);
                write.Session.Events.Append("watched:" + batch.BatchId, new ChargesWatched(batch.BatchId, watched));
            }, ct);
            return claim;
        }
        catch (Exception e) when (!Failures.IsTransient(e) && !ct.IsCancellationRequested)
        {
            await writer.WriteAsync(write => ledger.MarkIsolatedAsync(batch, write.Connection, write.Transaction, ct), ct);
            return BatchClaim.Isolated;
        }
    }

    private Task WatchPartAsync(IReadOnlyList<UsageCharged> part, CancellationToken ct) =>
        writer.WriteOnceAsync(part, c => "watched:" + c.UsageKey, async (fresh, write) =>
        {
            var watched = fresh.Select(WatchedUsage.Of).ToList();
            var partId = BatchIds.Of(fresh.Select(c => c.UsageKey));
            await ledger.AddUsageAsync(watched, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("watched:" + partId, new ChargesWatched(partId, watched));
        }, ct);

    /// <summary>
    /// A price correction changes what watched usage cost: the difference goes to its minutes. Each correction is claimed
    /// by its charge and the price book it was made with, so a redelivery adds nothing and a second correction under the
    /// same price version (a new discount) adds its own difference. Differences add up in any order, so a correction
    /// that overtakes its charge is right once both are in.
    /// </summary>
    public Task Consume(ConsumeContext<UsageRepricedBatch> context) =>
        isolation.RunAsync(context, context.Message.Items, items => CorrectAsync(items, context.CancellationToken), Correction.KeyOf,
            i => new UsageRepricedBatch { BatchId = BatchIds.Of([Correction.KeyOf(i)]), Items = [i] });

    private Task CorrectAsync(IReadOnlyList<UsageRepriced> items, CancellationToken ct) =>
        writer.WriteOnceAsync(items, i => "reprice:" + Correction.KeyOf(i), async (fresh, write) =>
        {
            await ledger.CorrectCostsAsync(fresh, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("watched:" + BatchIds.Of(fresh.Select(Correction.KeyOf)), new CostsCorrectedWatched(fresh));
        }, ct);

    public Task Consume(ConsumeContext<ActivityRecorded> context)
    {
        if (context.Message.Kind != ActivityKinds.UserPrompt) return Task.CompletedTask;
        return isolation.RunAsync(context, [context.Message], items => WatchPromptAsync(items[0], context.CancellationToken), a => a.Key, a => a);
    }

    private Task WatchPromptAsync(ActivityRecorded activity, CancellationToken ct) =>
        writer.WriteOnceAsync(["activity:" + activity.Key], async (_, write) =>
        {
            await ledger.AddPromptAsync(activity, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("watched:activity:" + activity.Key, new PromptWatched(activity));
        }, ct);

    public Task Consume(ConsumeContext<UserDirectoryChanged> context) =>
        !signer.Verify(context.Message) ? Task.CompletedTask : isolation.RunAsync(context, [context.Message], items => WatchPersonAsync(items[0], context.CancellationToken),
            c => $"directory:{c.User}@{c.ChangedAt.UtcTicks}", c => c);

    private Task WatchPersonAsync(UserDirectoryChanged change, CancellationToken ct)
    {
        var key = $"directory:{change.User}@{change.ChangedAt.UtcTicks}";
        return writer.WriteOnceAsync([key], async (_, write) =>
        {
            await ledger.SetPersonAsync(change, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("watched:" + key, new DirectoryWatched(change));
        }, ct);
    }
}

public sealed class WatchConsumersDefinition : ConsumerDefinition<WatchConsumers>
{
    // Batches add to the same users' and sessions' minute rows; WatchLedger writes those last so that concurrent
    // batches wait on each other only for the commit (6 at once used to queue on the row locks).
    public WatchConsumersDefinition() => ConcurrentMessageLimit = 4;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<WatchConsumers> consumer,
        IRegistrationContext context) => endpoint.UseTransientRetry(context);
}
