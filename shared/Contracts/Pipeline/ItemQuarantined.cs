namespace Tokenwise.Contracts;

/// <summary>
/// A service set one item aside: processing it failed for a reason retrying will not cure, so it was split from the
/// batch it came in and kept, with the reason, until someone fixes the cause and replays it (GET /v1/ops/quarantine).
/// The rest of its batch was counted. Alerting raises a <c>pipeline</c> alert for it.
/// </summary>
public sealed record ItemQuarantined
{
    public required string Service { get; init; }
    public required string Queue { get; init; }
    public required string MessageType { get; init; }
    public required string ItemKey { get; init; }
    public required string Reason { get; init; }

    /// <summary>How many items this service holds in quarantine now, this one included.</summary>
    public required int Quarantined { get; init; }
    public required DateTimeOffset QuarantinedAt { get; init; }
}
