using Tokenwise.ServiceDefaults.Messaging;
using MassTransit;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Retries cover a database blip; a batch that still fails lands in accounting-usage-recorded-batch_error with its
/// exception, never silently acknowledged.
/// </summary>
public sealed class UsageRecordedBatchConsumerDefinition : ConsumerDefinition<UsageRecordedBatchConsumer>
{
    public UsageRecordedBatchConsumerDefinition() => ConcurrentMessageLimit = 8;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<UsageRecordedBatchConsumer> consumer, IRegistrationContext context)
    {
        endpoint.PrefetchCount = 16;
        endpoint.UseTransientRetry(context);
    }
}
