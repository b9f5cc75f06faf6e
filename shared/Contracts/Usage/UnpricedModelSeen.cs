namespace Tokenwise.Contracts;

/// <summary>
/// Usage arrived for a model the price book does not know: it is counted at zero cost and marked unpriced until a
/// price arrives, when it is re-priced. Published once per model.
/// </summary>
public sealed record UnpricedModelSeen
{
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string FirstUsageKey { get; init; }
    public required DateTimeOffset FirstSeenAt { get; init; }
}
