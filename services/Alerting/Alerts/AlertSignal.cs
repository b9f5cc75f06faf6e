namespace Tokenwise.Alerting.Alerts;

/// <summary>Who or what an alert is about: a user, team, org, session, budget or model.</summary>
public sealed record AlertScope(string Type, string Id)
{
    public override string ToString() => $"{Type}:{Id}";
}

/// <summary>
/// A rule's finding about one subject at one moment: the condition holds (with a severity), or it has cleared.
/// Alerts are derived from signals: one open alert per rule and subject.
/// </summary>
public sealed record AlertSignal
{
    public required string Kind { get; init; }
    public required AlertScope Scope { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>False: the condition cleared, so an open alert resolves.</summary>
    public bool Holds { get; init; } = true;
    public string Severity { get; init; } = Rules.Severities.Info;
    public string Title { get; init; } = "";
    public string? Detail { get; init; }
    public decimal? Observed { get; init; }
    public decimal? Threshold { get; init; }
    public string? Manager { get; init; }
    public IReadOnlyDictionary<string, string>? Links { get; init; }

    /// <summary>When set, the breaker of this user, team or org opens until then.</summary>
    public BreakerRequest? OpensBreaker { get; init; }

    /// <summary>One open alert per rule and subject.</summary>
    public string Slot => $"{Kind}|{Scope}";
}

/// <summary>A signal's request to open a breaker on a subject until a time (the next period).</summary>
public sealed record BreakerRequest(string ScopeType, string ScopeId, DateTimeOffset Until, string Reason);
