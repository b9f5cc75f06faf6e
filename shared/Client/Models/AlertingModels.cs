using System.Text.Json.Serialization;

namespace Tokenwise.Client.Models;

public sealed record AlertScopeView(string Type, string Id);

/// <summary>An alert as it stands: raised → escalated → acknowledged → resolved.</summary>
public sealed record AlertView(
    string Id,
    string Kind,
    string Severity,
    string Status,
    AlertScopeView Scope,
    string Title,
    string? Detail,
    decimal? Observed,
    decimal? Threshold,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    string? Manager,
    IReadOnlyDictionary<string, string>? Links,
    string? AcknowledgedBy,
    string? ResolvedBy,
    string? ResolutionReason,
    long Version
);

public sealed record AlertStepView(
    string Change,
    string Status,
    string Severity,
    DateTimeOffset At,
    string? By,
    string? Reason
);

public sealed record AlertDetails(AlertView Alert, IReadOnlyList<AlertStepView> History);

public sealed record AlertActionRequest(string By, string? Reason);

public sealed record BreakerOverrideView(string By, DateTimeOffset Until, string Reason);

public sealed record BreakerInfo(
    string ScopeType,
    string ScopeId,
    string State,
    string? Reason,
    DateTimeOffset Since,
    DateTimeOffset? Until,
    BreakerOverrideView? Override,
    long Version
);

/// <summary>GET /v1/check: allow, and if not, why and which breaker. Always all three fields, nulls included: a gateway reads a fixed shape.</summary>
public sealed record CheckResult(
    bool Allow,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] BreakerInfo? Breaker
);

public sealed record BreakerStatus(
    string State,
    string? Reason,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    BreakerOverrideView? Override
);

public sealed record BreakerOverrideRequest(string By, DateTimeOffset Until, string Reason);
