namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// A queue of one instance (every instance must see every message, as the breaker board's changes), deleted when the
/// instance goes. Its name says so, so that it stays a classic auto-delete queue when every durable queue is a quorum
/// queue (RabbitMQ refuses a quorum queue that deletes itself).
/// </summary>
public static class InstanceQueue
{
    private const string Marker = "-instance-";

    public static string NameFor(string service, string purpose) =>
        $"{service}-{purpose}{Marker}{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";

    public static bool Is(string queue) => queue.Contains(Marker, StringComparison.Ordinal);
}
