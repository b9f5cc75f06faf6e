namespace Tokenwise.Contracts;

/// <summary>
/// How many messages wait in one of a service's error queues (those that failed every retry), sent when the count
/// changes: above zero Alerting raises a <c>pipeline</c> alert for the queue, at zero it resolves it.
/// </summary>
public sealed record MessagesFailed
{
    public required string Service { get; init; }
    public required string Queue { get; init; }
    public required long Count { get; init; }
    public required DateTimeOffset ObservedAt { get; init; }
}
