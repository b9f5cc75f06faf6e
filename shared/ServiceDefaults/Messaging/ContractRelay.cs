using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// The only way events leave a service: a Marten subscription on the async daemon reads committed events and
/// publishes those whose type is an integration contract (namespace Tokenwise.Contracts) to RabbitMQ.
/// Progress is saved after the page is published, so a crash republishes rather than loses: delivery is at least
/// once and consumers are idempotent per item key. Batches of one page are merged (<see cref="BatchMerger"/>); a
/// message's id is derived from its content, so a republished message carries the same id.
/// </summary>
public sealed class ContractRelay : SubscriptionBase
{
    public const string ContractNamespace = "Tokenwise.Contracts";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly IBus _bus;
    private readonly ILogger<ContractRelay> _logger;

    public ContractRelay(IBus bus, ILogger<ContractRelay> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = "contract-relay";
        BatchEventPages.Apply(Options);
        // Only contracts are read: a service's own events (Outcomes' and Alerting's copies of every charge) are most
        // of its event table, and loading them for nothing cost each of those daemons about 5 % of a core under load.
        foreach (
            var type in typeof(Contracts.UsageRecordedBatch)
                .Assembly.GetTypes()
                .Where(t =>
                    t.Namespace == ContractNamespace && t is { IsClass: true, IsAbstract: false, IsNested: false }
                )
        )
            IncludeType(type);
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken
    )
    {
        var contracts = page.Events.Where(e => e.Data.GetType().Namespace == ContractNamespace).Select(e => e.Data);
        // Publishing in parallel lets RabbitMQ confirm the page together instead of one round trip per message.
        await Task.WhenAll(BatchMerger.Merge(contracts).Select(m => PublishUntilConfirmed(m, cancellationToken)));
        return NullChangeListener.Instance;
    }

    private async Task PublishUntilConfirmed(object message, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var messageId = MessageIds.Of(message);
                await _bus.Publish(
                    message,
                    message.GetType(),
                    context => context.MessageId = messageId,
                    cancellationToken
                );
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Never skip an event: the broker being away only delays it. The daemon keeps its place meanwhile.
                _logger.LogWarning(
                    e,
                    "Publishing {MessageType} failed; retrying in {Delay}",
                    message.GetType().Name,
                    delay
                );
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
