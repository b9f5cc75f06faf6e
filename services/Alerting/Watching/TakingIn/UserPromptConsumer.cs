using MassTransit;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Watching.TakingIn;

/// <summary>
/// Remembers when a session last had a prompt from a person, and which tools send prompts at all: the runaway rule
/// tells an agent left alone from one a person is steering. Other activity is not watched.
/// </summary>
public sealed class UserPromptConsumer(IdempotentWriter writer, ItemIsolation isolation, WatchWriter watch)
    : IConsumer<ActivityRecorded>
{
    public Task Consume(ConsumeContext<ActivityRecorded> context)
    {
        if (context.Message.Kind != ActivityKinds.UserPrompt)
            return Task.CompletedTask;
        var ct = context.CancellationToken;
        return isolation.RunAsync(context, [context.Message], items => WatchAsync(items[0], ct), a => a.Key, a => a);
    }

    private Task WatchAsync(ActivityRecorded prompt, CancellationToken ct) =>
        writer.WriteOnceAsync(
            ["activity:" + prompt.Key],
            (_, write) => watch.AddPromptAsync(prompt, write.Connection, write.Transaction, ct),
            ct
        );
}

public sealed class UserPromptConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<UserPromptConsumer>(settings, WatchQueue.Area, WatchQueue.ConcurrentMessageLimit);
