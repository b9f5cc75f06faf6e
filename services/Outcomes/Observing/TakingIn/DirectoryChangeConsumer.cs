using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Storage;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Outcomes.Observing.TakingIn;

/// <summary>Keeps Outcomes' copy of the directory (who is in which team, who manages whom); only signed changes count.</summary>
public sealed class DirectoryChangeConsumer(
    IdempotentWriter writer,
    ItemIsolation isolation,
    OutcomeStore store,
    ControlSigner signer
) : IConsumer<UserDirectoryChanged>
{
    public Task Consume(ConsumeContext<UserDirectoryChanged> context) =>
        !signer.Verify(context.Message)
            ? Task.CompletedTask
            : isolation.RunAsync(
                context,
                [context.Message],
                items => ObserveAsync(items[0], context.CancellationToken),
                PeopleTable.ChangeKey,
                c => c
            );

    private async Task ObserveAsync(UserDirectoryChanged change, CancellationToken ct)
    {
        var key = PeopleTable.ChangeKey(change);
        await writer.WriteOnceAsync(
            [key],
            async (_, write) =>
            {
                await store.UpsertPersonAsync(change, write.Connection, write.Transaction, ct);
                write.Session.Events.Append("observed:" + key, new DirectoryObserved(change));
            },
            ct
        );
    }
}

public sealed class DirectoryChangeConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<DirectoryChangeConsumer>(
        settings,
        ObservingQueue.Area,
        ObservingQueue.ConcurrentMessageLimit
    );
