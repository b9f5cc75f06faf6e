using MassTransit;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Retries cover an outage of the database or broker (ConsumerRetry: 12 minutes); an item that cannot be charged is
/// quarantined by the consumer, and a message that still fails lands in accounting-usage-recorded-batch_error with its
/// exception, where the pipeline watch counts it: never silently acknowledged.
/// </summary>
public sealed class UsageRecordedBatchConsumerDefinition : ConsumerDefinition<UsageRecordedBatchConsumer>
{
    public UsageRecordedBatchConsumerDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<UsageRecordedBatchConsumer> consumer,
        IRegistrationContext context
    )
    {
        endpoint.PrefetchCount = 16;
        endpoint.UseTransientRetry(context);
    }
}
