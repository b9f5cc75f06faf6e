using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;

namespace Tokenwise.Alerting.Publishing;

/// <summary>The body on tokenwise.alerts: plain JSON for subscribers in any language (README "For ops teams").</summary>
public sealed record AlertMessage(
    string AlertId,
    string Kind,
    string Severity,
    string Status,
    AlertMessageScope Scope,
    string Title,
    string? Detail,
    decimal? Observed,
    decimal? Threshold,
    DateTimeOffset RaisedAt,
    string? Manager,
    IReadOnlyDictionary<string, string>? Links
)
{
    public string RoutingKey => $"alert.{Kind}.{Severity}";

    public static AlertMessage From(Alert alert) =>
        new(
            alert.Id,
            alert.Kind,
            alert.Severity,
            alert.Status,
            new AlertMessageScope(alert.Scope.Type, alert.Scope.Id),
            alert.Title,
            alert.Detail,
            alert.Observed,
            alert.Threshold,
            alert.RaisedAt,
            alert.Manager,
            alert.Links
        );

    /// <summary>Breaker changes: critical when one opens, info when it closes or is overridden.</summary>
    public static AlertMessage From(BreakerChanged breaker) =>
        new(
            $"{breaker.ScopeType}:{breaker.ScopeId}:v{breaker.Version}",
            AlertKinds.Breaker,
            breaker.State == "open" ? Severities.Critical : Severities.Info,
            breaker.State,
            new AlertMessageScope(breaker.ScopeType, breaker.ScopeId),
            breaker.State == "open"
                ? $"Spend stopped for {breaker.ScopeType} {breaker.ScopeId}"
                : $"Spend allowed again for {breaker.ScopeType} {breaker.ScopeId}",
            breaker.Reason,
            null,
            null,
            breaker.Since,
            breaker.Override?.By,
            breaker.Until is { } until ? new Dictionary<string, string> { ["until"] = until.ToString("O") } : null
        );
}

public sealed record AlertMessageScope(string Type, string Id);
