using MassTransit;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// One consumer per message type, and one queue per area that takes messages in: the consumers of an area share a
/// receive endpoint, <c>{service}-{area}</c>, so an area's messages wait in one queue, are limited together (a batch's
/// concurrent writers share row locks) and are watched, replayed and reported as one queue. Each consumer retries
/// transient failures on its own (<see cref="ConsumerRetry"/>).
/// </summary>
public abstract class AreaQueueDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected AreaQueueDefinition(TokenwiseSettings settings, string area, int? concurrentMessageLimit = null) =>
        Endpoint(endpoint =>
        {
            endpoint.Name = $"{settings.ServiceName.ToLowerInvariant()}-{area}";
            if (concurrentMessageLimit is { } limit)
                endpoint.ConcurrentMessageLimit = limit;
        });

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context
    ) => consumer.UseTransientRetry(context);
}
