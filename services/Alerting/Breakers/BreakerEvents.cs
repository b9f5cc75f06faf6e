using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Breakers;

/// <summary>A breaker as it now stands (the read model every instance loads at start).</summary>
public sealed record BreakerDocument(string Id, BreakerChanged Breaker);

/// <summary>A manager asked to let a user's spend through (POST /v1/breakers/{user}/override).</summary>
public sealed record BreakerOverrideRequested(
    string ScopeType,
    string ScopeId,
    BreakerOverride Override,
    DateTimeOffset At
);

/// <summary>Breakers whose period has ended, found by the evaluator; the desk closes them.</summary>
public sealed record BreakersDue(IReadOnlyList<string> BreakerIds, DateTimeOffset At);
