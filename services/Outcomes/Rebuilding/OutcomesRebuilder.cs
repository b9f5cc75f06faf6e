using Marten;
using Npgsql;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Observing;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Outcomes.Rebuilding;

/// <summary>
/// Rebuilds Outcomes' tables from its own events alone, in one transaction: empties them and replays what was
/// observed (usage, cost corrections, outcomes) and every attribution decision, in commit order. Run it while no
/// new messages arrive (stop the consumers), e.g. after changing how a table is derived.
/// </summary>
public sealed class OutcomesRebuilder(IDocumentStore eventStore, OutcomeStore store, TokenwiseSettings settings)
{
    public async Task<long> RebuildAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var tables = string.Join(
            ", ",
            new[]
            {
                OutcomeTables.UsageFacts,
                OutcomeTables.Prs,
                OutcomeTables.Failures,
                OutcomeTables.Deployments,
                OutcomeTables.People,
            }.Select(t => $"{settings.Schema}.{t}")
        );
        await using (var truncate = new NpgsqlCommand($"truncate {tables}", connection, transaction))
            await truncate.ExecuteNonQueryAsync(ct);

        await using var session = eventStore.QuerySession();
        // Every event of the service, in commit order; the types below are all Outcomes records, the rest it skips.
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync(ct);
        foreach (var data in events.Select(e => e.Data))
            switch (data)
            {
                case UsageObserved observed:
                    await store.InsertUsageAsync(observed.Items, connection, transaction, ct);
                    break;
                case CostsCorrected corrected:
                    await store.ApplyCorrectionsAsync(
                        corrected.Items.Select(ObservedUsage.Of).ToList(),
                        connection,
                        transaction,
                        ct
                    );
                    break;
                case OutcomeObserved { Outcome: var outcome }:
                    await ApplyAsync(outcome, connection, transaction, ct);
                    break;
                case DirectoryObserved { Change: var change }:
                    await store.UpsertPersonAsync(change, connection, transaction, ct);
                    break;
                case AttributionsChanged attributed:
                    await store.SetAttributionsAsync(attributed.Items, connection, transaction, ct);
                    break;
            }
        await transaction.CommitAsync(ct);
        return events.Count;
    }

    private Task ApplyAsync(
        OutcomeRecorded outcome,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    ) =>
        outcome.Kind switch
        {
            OutcomeKinds.PrMerged
            or OutcomeKinds.PrClosed when outcome.Repo is not null && outcome.PrNumber is not null =>
                store.UpsertPrAsync(outcome, connection, transaction, ct),
            OutcomeKinds.Deployment when outcome.Repo is not null => store.InsertDeploymentAsync(
                outcome,
                connection,
                transaction,
                ct
            ),
            OutcomeKinds.IncidentOpened or OutcomeKinds.Revert => store.InsertFailureAsync(
                outcome,
                connection,
                transaction,
                ct
            ),
            _ => Task.CompletedTask,
        };
}
