using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Watching.TakingIn;

/// <summary>Keeps Alerting's copy of the directory (who is in which team, who manages whom); only signed changes count.</summary>
public sealed class DirectoryChangeConsumer(
    IdempotentWriter writer,
    ItemIsolation isolation,
    WatchWriter watch,
    ControlSigner signer
) : IConsumer<UserDirectoryChanged>
{
    public Task Consume(ConsumeContext<UserDirectoryChanged> context)
    {
        if (!signer.Verify(context.Message))
            return Task.CompletedTask;
        var ct = context.CancellationToken;
        return isolation.RunAsync(
            context,
            [context.Message],
            items => WatchAsync(items[0], ct),
            PeopleTable.ChangeKey,
            c => c
        );
    }

    private Task WatchAsync(UserDirectoryChanged change, CancellationToken ct) =>
        writer.WriteOnceAsync(
            [PeopleTable.ChangeKey(change)],
            (_, write) => watch.SetPersonAsync(change, write.Connection, write.Transaction, ct),
            ct
        );
}

public sealed class DirectoryChangeConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<DirectoryChangeConsumer>(settings, WatchQueue.Area, WatchQueue.ConcurrentMessageLimit);
