using MassTransit;

namespace Tokenwise.Accounting.Usage.ChargingUsage;

/// <summary>
/// Retries cover a database blip; a message that still fails lands in accounting-usage-recorded_error with its
/// exception, never silently acknowledged.
/// </summary>
public sealed class UsageRecordedConsumerDefinition : ConsumerDefinition<UsageRecordedConsumer>
{
    public UsageRecordedConsumerDefinition() => ConcurrentMessageLimit = 32;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<UsageRecordedConsumer> consumer, IRegistrationContext context)
    {
        endpoint.PrefetchCount = 64;
        endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000, 15_000));
    }
}
