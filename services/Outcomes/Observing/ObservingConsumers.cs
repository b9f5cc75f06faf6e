using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Ledger;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Observing;

/// <summary>
/// Takes in charged usage, cost corrections, outcomes and directory changes, each once: keys are claimed (for usage, by
/// usage_facts' primary key) in the transaction that writes the tables and appends the observation event the
/// attribution subscription reacts to.
/// </summary>
public sealed class ObservingConsumers(IdempotentWriter writer, OutcomeLedger ledger)
    : IConsumer<UsageChargedBatch>, IConsumer<UsageRepricedBatch>, IConsumer<OutcomeRecorded>, IConsumer<UserDirectoryChanged>
{
    public async Task Consume(ConsumeContext<UsageChargedBatch> context)
    {
        var items = context.Message.Items;
        var ct = context.CancellationToken;
        await writer.WriteAsync(async write =>
        {
            // usage_facts' primary key is the claim: only usage inserted now is observed (and attributed) now.
            var observed = items.Select(ObservedUsage.Of).DistinctBy(u => u.UsageKey).ToList();
            var inserted = await ledger.InsertUsageAsync(observed, write.Connection, write.Transaction, ct);
            if (inserted.Count == 0) return;
            var fresh = observed.Where(u => inserted.Contains(u.UsageKey)).ToList();
            write.Session.Events.Append("observed:" + BatchIds.Of(fresh.Select(u => u.UsageKey)), new UsageObserved(fresh));
        }, ct);
    }

    public async Task Consume(ConsumeContext<UsageRepricedBatch> context)
    {
        var items = context.Message.Items;
        var ct = context.CancellationToken;
        // A re-pricing sets an absolute cost, so applying one twice is harmless; the claim only saves the work.
        await writer.WriteOnceAsync(items, i => $"reprice:{i.Charge.UsageKey}@{i.Charge.PriceVersion}", async (fresh, write) =>
        {
            var charges = fresh.Select(i => i.Charge).ToList();
            await ledger.UpdateCostsAsync(charges, write.Connection, write.Transaction, ct);
            write.Session.Events.Append("corrected:" + BatchIds.Of(fresh.Select(i => $"reprice:{i.Charge.UsageKey}@{i.Charge.PriceVersion}")),
                new CostsCorrected(charges));
        }, ct);
    }

    public async Task Consume(ConsumeContext<OutcomeRecorded> context)
    {
        var outcome = context.Message;
        var ct = context.CancellationToken;
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

    public async Task Consume(ConsumeContext<UserDirectoryChanged> context)
    {
        var change = context.Message;
        var ct = context.CancellationToken;
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
        IRegistrationContext context) => endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000, 15_000));
}
