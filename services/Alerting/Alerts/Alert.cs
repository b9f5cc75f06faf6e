namespace Tokenwise.Alerting.Alerts;

public static class AlertStatuses
{
    public const string Raised = "raised";
    public const string Escalated = "escalated";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";
}

/// <summary>An alert as it now stands: the read model behind GET /v1/alerts, rebuilt from its stream's events.</summary>
public sealed record Alert
{
    /// <summary>The stream id: derived from the rule, the subject and the signal that raised it, never random.</summary>
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Severity { get; init; }
    public required string Status { get; init; }
    public required AlertScope Scope { get; init; }
    public required string Slot { get; init; }
    public required string Title { get; init; }
    public string? Detail { get; init; }
    public decimal? Observed { get; init; }
    public decimal? Threshold { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public string? Manager { get; init; }
    public IReadOnlyDictionary<string, string>? Links { get; init; }
    public string? AcknowledgedBy { get; init; }
    public string? ResolvedBy { get; init; }
    public string? ResolutionReason { get; init; }
    public long Version { get; init; }

    public bool IsOpen => Status != AlertStatuses.Resolved;

    /// <summary>The SDK's shape of it: what GET /v1/alerts and the acknowledgements answer.</summary>
    public Client.Models.AlertView ToView() =>
        new(
            Id,
            Kind,
            Severity,
            Status,
            new Client.Models.AlertScopeView(Scope.Type, Scope.Id),
            Title,
            Detail,
            Observed,
            Threshold,
            RaisedAt,
            UpdatedAt,
            Manager,
            Links,
            AcknowledgedBy,
            ResolvedBy,
            ResolutionReason,
            Version
        );
}
