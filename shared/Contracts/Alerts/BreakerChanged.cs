namespace Tokenwise.Contracts;

/// <summary>
/// A circuit breaker's whole state after a change (opened, closed, overridden). Every Alerting instance receives it
/// so each answers gateways from memory alike; <see cref="Version"/> orders changes of one breaker.
/// </summary>
public sealed record BreakerChanged
{
    public required string ScopeType { get; init; }
    public required string ScopeId { get; init; }

    /// <summary>"open" or "closed".</summary>
    public required string State { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public BreakerOverride? Override { get; init; }
    public required long Version { get; init; }

    /// <summary>HMAC-SHA256 of the message without it, with the services' shared secret (ControlSigner).</summary>
    public string? Signature { get; init; }

    public BreakerChanged WithSignature(string? signature) => this with { Signature = signature };
}

/// <summary>A manager let spend through despite the breaker until <see cref="Until"/>.</summary>
public sealed record BreakerOverride(string By, DateTimeOffset Until, string Reason);
