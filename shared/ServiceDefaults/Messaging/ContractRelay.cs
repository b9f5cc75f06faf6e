using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// The only way events leave a service: a Marten subscription on the async daemon reads committed events and
/// publishes those whose type is an integration contract (namespace Tokenwise.Contracts) to RabbitMQ.
/// Progress is saved after the page is published, so a crash republishes rather than loses: delivery is at least
/// once and consumers are idempotent. The message id is the Marten event id, fixed when the event was committed.
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
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var contracts = page.Events.Where(e => e.Data.GetType().Namespace == ContractNamespace).ToList();
        // Publishing in parallel lets RabbitMQ confirm the page together instead of one round trip per event.
        await Task.WhenAll(contracts.Select(e => PublishUntilConfirmed(e, cancellationToken)));
        return NullChangeListener.Instance;
    }

    private async Task PublishUntilConfirmed(IEvent committed, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _bus.Publish(committed.Data, committed.Data.GetType(),
                    context => context.MessageId = committed.Id, cancellationToken);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Never skip an event: the broker being away only delays it. The daemon keeps its place meanwhile.
                _logger.LogWarning(e, "Publishing event {Sequence} failed; retrying in {Delay}", committed.Sequence, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
