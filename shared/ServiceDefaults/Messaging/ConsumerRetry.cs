using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.ServiceDefaults.Operations;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// Slow is not failed: a consumer whose database or broker is away keeps retrying with backoff (up to 30 s apart) for
/// <see cref="TokenwiseSettings.RetryFor"/> (12 minutes unless Tokenwise:Messaging:RetryMinutes says otherwise), so an
/// outage of up to 10 minutes ends with nothing in an error queue. Only transient failures are retried here: one that
/// retrying cannot cure is isolated to its items and quarantined by the consumer (<see cref="ItemIsolation"/>).
/// </summary>
public static class ConsumerRetry
{
    private static readonly TimeSpan[] FirstSteps =
    [
        TimeSpan.FromMilliseconds(100),
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(2),
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(20),
    ];
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    /// <summary>The retry for a queue with one consumer.</summary>
    public static void UseTransientRetry(this IConsumePipeConfigurator endpoint, IRegistrationContext context) =>
        endpoint.UseMessageRetry(retry => Configure(retry, context));

    /// <summary>The retry for one consumer of a queue that several share (<see cref="AreaQueueDefinition{TConsumer}"/>).</summary>
    public static void UseTransientRetry<TConsumer>(
        this IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context
    )
        where TConsumer : class => consumer.UseMessageRetry(retry => Configure(retry, context));

    private static void Configure(IRetryConfigurator retry, IRegistrationContext context)
    {
        retry.Handle<Exception>(Failures.IsTransient);
        retry.Intervals(Schedule(context.GetRequiredService<TokenwiseSettings>().RetryFor));
    }

    /// <summary>Waits that grow to <see cref="Longest"/> and add up to at least <paramref name="total"/>.</summary>
    public static TimeSpan[] Schedule(TimeSpan total)
    {
        var waits = new List<TimeSpan>();
        var sum = TimeSpan.Zero;
        for (var i = 0; sum < total; i++)
        {
            var wait = i < FirstSteps.Length ? FirstSteps[i] : Longest;
            waits.Add(wait);
            sum += wait;
        }
        return waits.ToArray();
    }
}
