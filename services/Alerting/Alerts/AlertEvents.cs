namespace Tokenwise.Alerting.Alerts;

// An alert's stream. Each event carries the alert as it stands after it, so the publisher and a rebuild need
// nothing else; the event type says what happened.

/// <summary>A rule fired for a subject with no open alert.</summary>
public sealed record AlertRaised(Alert Alert);

/// <summary>The open alert's condition got worse (higher severity): notified again.</summary>
public sealed record AlertEscalated(Alert Alert, string PreviousSeverity);

/// <summary>The condition still holds; the observed value moved. Not notified.</summary>
public sealed record AlertUpdated(Alert Alert);

/// <summary>Someone took the alert on.</summary>
public sealed record AlertAcknowledged(Alert Alert, string By, string? Reason);

/// <summary>The condition cleared by itself, or someone resolved the alert.</summary>
public sealed record AlertResolved(Alert Alert, string By, string? Reason);

/// <summary>A request from the API to acknowledge or resolve an alert, applied in order by the desk.</summary>
public sealed record AlertActionRequested(string AlertId, string Action, string By, string? Reason, DateTimeOffset At);

public static class AlertActions
{
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";
}
