namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// A queue of one instance (every instance must see every message, as the breaker board's changes), deleted when the
/// instance goes (MassTransit declares a temporary endpoint non-durable with an expiry, x-expires). Its name says so, so
/// that it stays a classic queue when every durable queue is a quorum queue (RabbitMQ refuses a non-durable quorum
/// queue).
/// </summary>
public static class InstanceQueue
{
    private const string Marker = "-instance-";

    public static string NameFor(string service, string purpose) =>
        $"{service}-{purpose}{Marker}{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";

    public static bool Is(string queue) => queue.Contains(Marker, StringComparison.Ordinal);
}
