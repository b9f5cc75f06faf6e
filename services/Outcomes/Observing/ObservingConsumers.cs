using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Ledger;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Observing;

/// <summary>
/// Takes in charged usage, cost corrections, outcomes and directory changes, each once: keys are claimed (for usage, by
/// usage_facts' primary key) in the transaction that writes the tables and appends the observation event the
/// attribution subscription reacts to. An item that cannot be taken in is quarantined alone (ItemIsolation).
/// </summary>
public sealed class ObservingConsumers(IdempotentWriter writer, ItemIsolation isolation, OutcomeLedger ledger, ControlSigner signer)
    : IConsumer<UsageChargedBatch>, IConsumer<UsageRepricedBatch>, IConsumer<OutcomeRecorded>, IConsumer<UserDirectoryChanged>
{
    public Task Consume(ConsumeContext<UsageChargedBatch> context) =>
        isolation.RunAsync(context, context.Message.Items, items => ObserveAsync(items, context.CancellationToken), c => c.UsageKey,
            c => new UsageChargedBatch { BatchId = BatchIds.Of([c.UsageKey]), Items = [c] });

    private Task ObserveAsync(IReadOnlyList<UsageCharged> items, CancellationToken ct) =>
        writer.WriteAsync(async write =>
        {
            // usage_facts' primary key is the claim: only usage taken in now is observed (and attributed) now.
            var observed = items.Select(ObservedUsage.Of).DistinctBy(u => u.UsageKey).ToList();
            var inserted = await ledger.InsertUsageAsync(observed, write.Connection, write.Transaction, ct);
            if (inserted.Count == 0) return;
            var fresh = observed.Where(u => inserted.Contains(u.UsageKey)).ToList();
            write.Session.Events.Append("observed:" + BatchIds.Of(fresh.Select(u => u.UsageKey)), new UsageObserved(fresh));
        }, ct);

    /// <summary>
    /// A correction sets the cost its price book gives, and only over a cost from an earlier book: applying it twice,
    /// or after a later one, changes nothing, so it needs no claim. One that overtook its charge inserts the row, which
    /// is observed (attributed) when the charge arrives and completes it.
    /// </summary>
    public Task Consume(ConsumeContext<UsageRepricedBatch> context) =>
        isolation.RunAsync(context, context.Message.Items, items => CorrectAsync(items, context.CancellationToken), Correction.KeyOf,
            i => new UsageRepricedBatch { BatchId = BatchIds.Of([Correction.KeyOf(i)]), Items = [i] });

    private Task CorrectAsync(IReadOnlyList<UsageRepriced> items, CancellationToken ct) =>
        writer.WriteAsync(async write =>
        {
            var corrected = items.OrderByDescending(i => i.Charge.BookVersion).Select(i => ObservedUsage.Of(i.Charge)).DistinctBy(u => u.UsageKey).ToList();
            var (_, changed) = await ledger.ApplyCorrectionsAsync(corrected, write.Connection, write.Transaction, ct);
            if (changed.Count == 0) return;
            write.Session.Events.Append("corrected:" + BatchIds.Of(items.Select(Correction.KeyOf)),
                new CostsCorrected(items.Select(i => i.Charge).Where(c => changed.Contains(c.UsageKey)).ToList()));
        }, ct);

    public Task Consume(ConsumeContext<OutcomeRecorded> context) =>
        isolation.RunAsync(context, [context.Message], items => ObserveAsync(items[0], context.CancellationToken), o => o.Key, o => o);

    private async Task ObserveAsync(OutcomeRecorded outcome, CancellationToken ct)
    {
        await writer.WriteOnceAsync(["outcome:" + outcome.Key], async (_, write) =>
        {
            string? prKey = null;
            switch (outcome.Kind)
            {
                case OutcomeKinds.PrMerged or OutcomeKinds.PrClosed when outcome.Repo is not null && outcome.PrNumber is not null:
                    await ledger.UpsertPrAsync(outcome, write.Connection, write.Transaction, ct);
                    prKey = outcome.Kind == OutcomeKinds.PrMerged ? OutcomeLedger.PrKeyOf(outcome.Repo, outcome.PrNumber.Value) : null;
                    break;
                case OutcomeKinds.Deployment when outcome.Repo is not null:
                    await ledger.InsertDeploymentAsync(outcome, write.Connection, write.Transaction, ct);
                    break;
                case OutcomeKinds.IncidentOpened or OutcomeKinds.Revert:
                    await ledger.InsertFailureAsync(outcome, write.Connection, write.Transaction, ct);
                    break;
            }
            write.Session.Events.Append("observed:" + outcome.Key, new OutcomeObserved(outcome, prKey));
        }, ct);
    }

    public Task Consume(ConsumeContext<UserDirectoryChanged> context) =>
        !signer.Verify(context.Message) ? Task.CompletedTask : isolation.RunAsync(context, [context.Message], items => ObserveAsync(items[0], context.CancellationToken),
            c => $"directory:{c.User}@{c.ChangedAt.UtcTicks}", c => c);

    private async Task ObserveAsync(UserDirectoryChanged change, CancellationToken ct)
    {
        var key = $"directory:{change.User}@{change.ChangedAt.UtcTicks}";
        await writer.WriteOnceAsync([key], async (_, write) =>
        {
            await ledger.UpsertPersonAsync(change, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("observed:" + key, new DirectoryObserved(change));
        }, ct);
    }
}

public sealed class ObservingConsumersDefinition : ConsumerDefinition<ObservingConsumers>
{
    public ObservingConsumersDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ObservingConsumers> consumer,
        IRegistrationContext context) => endpoint.UseTransientRetry(context);
}
