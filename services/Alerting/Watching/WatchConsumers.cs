using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching;

// Alerting's record of what it watched, so its tables can be rebuilt from its own events.

/// <summary>One charged batch watched: what the rules read of each usage.</summary>
public sealed record ChargesWatched(string BatchId, IReadOnlyList<WatchedUsage> Items);

/// <summary>Charged usage watched, as written before 2026-11-23 (whole charges); no longer written.</summary>
public sealed record UsageWatched(IReadOnlyList<UsageCharged> Items);

public sealed record CostsCorrectedWatched(IReadOnlyList<UsageRepriced> Items);
public sealed record PromptWatched(ActivityRecorded Prompt);
public sealed record DirectoryWatched(UserDirectoryChanged Change);

/// <summary>Takes charged usage, user prompts and directory changes in once each (claimed batches and keys) for the watch rules.</summary>
public sealed class WatchConsumers(IdempotentWriter writer, WatchLedger ledger)
    : IConsumer<UsageChargedBatch>, IConsumer<UsageRepricedBatch>, IConsumer<ActivityRecorded>, IConsumer<UserDirectoryChanged>
{
    public async Task Consume(ConsumeContext<UsageChargedBatch> context)
    {
        var batch = context.Message;
        var ct = context.CancellationToken;
        // Claimed per batch, not per usage: Accounting charges each usage in exactly one batch and relays each batch as
        // it is (BatchMerger), so a batch id always names the same usages.
        await writer.WriteAsync(async write =>
        {
            if (!await ledger.ClaimBatchAsync(batch, write.Connection, write.Transaction, ct)) return;
            var watched = batch.Items.Select(WatchedUsage.Of).ToList();
            await ledger.AddUsageAsync(watched, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("watched:" + batch.BatchId, new ChargesWatched(batch.BatchId, watched));
        }, ct);
    }

    /// <summary>
    /// A price correction changes what watched usage cost: the difference goes to its minutes. The claim names the
    /// charge and both price versions, so a redelivery adds nothing; a correction that exactly repeats an earlier
    /// one (same charge, same versions) is taken for a redelivery.
    /// </summary>
    public async Task Consume(ConsumeContext<UsageRepricedBatch> context)
    {
        var items = context.Message.Items;
        static string Key(UsageRepriced r) => $"reprice:{r.Charge.UsageKey}:{r.PreviousPriceVersion}>{r.Charge.PriceVersion}";
        await writer.WriteOnceAsync(items, Key, async (fresh, write) =>
        {
            await ledger.CorrectCostsAsync(fresh, write.Connection, write.Transaction, context.CancellationToken);
            write.Session.Events.Append("watched:" + BatchIds.Of(fresh.Select(Key)), new CostsCorrectedWatched(fresh));
        }, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ActivityRecorded> context)
    {
        var activity = context.Message;
        if (activity.Kind != ActivityKinds.UserPrompt) return;
        await writer.WriteOnceAsync(["activity:" + activity.Key], async (_, write) =>
        {
            await ledger.AddPromptAsync(activity, write.Connection, write.Transaction, context.CancellationToken);
            write.Session.Events.Append("watched:activity:" + activity.Key, new PromptWatched(activity));
        }, context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<UserDirectoryChanged> context)
    {
        var change = context.Message;
        var key = $"directory:{change.User}@{change.ChangedAt.UtcTicks}";
        await writer.WriteOnceAsync([key], async (_, write) =>
        {
            await ledger.SetPersonAsync(change, write.Connection, write.Transaction, context.CancellationToken);
            write.Session.Events.Append("watched:" + key, new DirectoryWatched(change));
        }, context.CancellationToken);
    }
}

public sealed class WatchConsumersDefinition : ConsumerDefinition<WatchConsumers>
{
    // Batches add to the same users' and sessions' minute rows; WatchLedger writes those last so that concurrent
    // batches wait on each other only for the commit (6 at once used to queue on the row locks).
    public WatchConsumersDefinition() => ConcurrentMessageLimit = 4;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<WatchConsumers> consumer,
        IRegistrationContext context) => endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000, 15_000));
}
