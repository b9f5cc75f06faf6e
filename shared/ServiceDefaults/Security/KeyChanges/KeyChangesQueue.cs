using MassTransit;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.ServiceDefaults.Security.KeyChanges;

/// <summary>
/// Every service keeps its own copy of the key list from Ingestion's key messages, on one queue per service
/// (<c>{service}-api-key-changes</c>), and takes only those a service signed (<see cref="ControlSigner"/>): anyone who
/// can publish to the broker could otherwise issue themselves an admin key. Idempotent: upserts, a revocation is final,
/// and the snapshot reconciles rather than replaces.
/// </summary>
public static class KeyChangesQueue
{
    public const string Area = "api-key-changes";

    /// <summary>Issue, revoke and snapshot must not race: one message at a time is plenty for key changes.</summary>
    public const int ConcurrentMessageLimit = 1;
}

public abstract class KeyChangesDefinition<TConsumer>(TokenwiseSettings settings)
    : AreaQueueDefinition<TConsumer>(settings, KeyChangesQueue.Area, KeyChangesQueue.ConcurrentMessageLimit)
    where TConsumer : class, IConsumer;
