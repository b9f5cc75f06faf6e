using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Observing.TakingIn;

/// <summary>
/// Takes an outcome in once (its key claimed): a merged or closed PR, a deployment, an incident or a revert, each into
/// its table, with an <see cref="OutcomeObserved"/> that names a merged PR for attribution.
/// </summary>
public sealed class OutcomeRecordedConsumer(IdempotentWriter writer, ItemIsolation isolation, OutcomeStore store)
    : IConsumer<OutcomeRecorded>
{
    public Task Consume(ConsumeContext<OutcomeRecorded> context) =>
        isolation.RunAsync(
            context,
            [context.Message],
            items => ObserveAsync(items[0], context.CancellationToken),
            o => o.Key,
            o => o
        );

    private async Task ObserveAsync(OutcomeRecorded outcome, CancellationToken ct)
    {
        await writer.WriteOnceAsync(
            ["outcome:" + outcome.Key],
            async (_, write) =>
            {
                string? prKey = null;
                switch (outcome.Kind)
                {
                    case OutcomeKinds.PrMerged
                    or OutcomeKinds.PrClosed when outcome.Repo is not null && outcome.PrNumber is not null:
                        await store.UpsertPrAsync(outcome, write.Connection, write.Transaction, ct);
                        prKey =
                            outcome.Kind == OutcomeKinds.PrMerged
                                ? OutcomeStore.PrKeyOf(outcome.Repo, outcome.PrNumber.Value)
                                : null;
                        break;
                    case OutcomeKinds.Deployment when outcome.Repo is not null:
                        await store.InsertDeploymentAsync(outcome, write.Connection, write.Transaction, ct);
                        break;
                    case OutcomeKinds.IncidentOpened or OutcomeKinds.Revert:
                        await store.InsertFailureAsync(outcome, write.Connection, write.Transaction, ct);
                        break;
                }
                write.Session.Events.Append("observed:" + outcome.Key, new OutcomeObserved(outcome, prKey));
            },
            ct
        );
    }
}

public sealed class OutcomeRecordedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<OutcomeRecordedConsumer>(
        settings,
        ObservingQueue.Area,
        ObservingQueue.ConcurrentMessageLimit
    );
