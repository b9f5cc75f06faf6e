using System.Security.Cryptography;
using System.Text;
using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Alerts;

/// <summary>
/// Decides what a signal or an API action does to the open alert of its rule and subject. Pure: one open alert per
/// slot; a repeat updates it (at most once a minute), a worse severity escalates it (notified again), a cleared
/// condition resolves it, and only then can a new alert be raised for the slot.
/// </summary>
public static class AlertLifecycle
{
    public static readonly TimeSpan UpdateAtMostEvery = TimeSpan.FromMinutes(1);
    public const string System = "tokenwise";

    /// <summary>Derived from the slot and the raising signal's time, so a redelivered signal names the same alert.</summary>
    public static string IdFor(AlertSignal signal) =>
        "al_"
        + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{signal.Slot}|{signal.At.UtcTicks}")))[
            ..20
        ];

    public static object? Decide(AlertSignal signal, Alert? open)
    {
        if (!signal.Holds)
            return open is null ? null : Resolved(open, System, signal.Detail ?? "the condition cleared", signal.At);
        if (open is null)
            return new AlertRaised(
                new Alert
                {
                    Id = IdFor(signal),
                    Kind = signal.Kind,
                    Severity = signal.Severity,
                    Status = AlertStatuses.Raised,
                    Scope = signal.Scope,
                    Slot = signal.Slot,
                    Title = signal.Title,
                    Detail = signal.Detail,
                    Observed = signal.Observed,
                    Threshold = signal.Threshold,
                    RaisedAt = signal.At,
                    UpdatedAt = signal.At,
                    Manager = signal.Manager,
                    Links = signal.Links,
                    Version = 1,
                }
            );
        var next = open with
        {
            Title = signal.Title,
            Detail = signal.Detail,
            Observed = signal.Observed,
            Threshold = signal.Threshold,
            Manager = signal.Manager ?? open.Manager,
            Links = signal.Links ?? open.Links,
            UpdatedAt = signal.At,
            Version = open.Version + 1,
        };
        if (Severities.Rank(signal.Severity) > Severities.Rank(open.Severity))
            return new AlertEscalated(
                next with
                {
                    Severity = signal.Severity,
                    Status = AlertStatuses.Escalated,
                },
                open.Severity
            );
        return signal.Observed != open.Observed && signal.At - open.UpdatedAt >= UpdateAtMostEvery
            ? new AlertUpdated(next)
            : null;
    }

    public static object? Decide(AlertActionRequested action, Alert? alert)
    {
        if (alert is not { IsOpen: true })
            return null;
        if (action.Action == AlertActions.Resolve)
            return Resolved(alert, action.By, action.Reason, action.At);
        if (alert.Status == AlertStatuses.Acknowledged)
            return null;
        return new AlertAcknowledged(
            alert with
            {
                Status = AlertStatuses.Acknowledged,
                AcknowledgedBy = action.By,
                UpdatedAt = action.At,
                Version = alert.Version + 1,
            },
            action.By,
            action.Reason
        );
    }

    /// <summary>The alert as it stands after an event of its stream.</summary>
    public static Alert? Evolve(object @event) =>
        @event switch
        {
            AlertRaised e => e.Alert,
            AlertEscalated e => e.Alert,
            AlertUpdated e => e.Alert,
            AlertAcknowledged e => e.Alert,
            AlertResolved e => e.Alert,
            _ => null,
        };

    private static AlertResolved Resolved(Alert open, string by, string? reason, DateTimeOffset at) =>
        new(
            open with
            {
                Status = AlertStatuses.Resolved,
                ResolvedBy = by,
                ResolutionReason = reason,
                UpdatedAt = at,
                Version = open.Version + 1,
            },
            by,
            reason
        );
}
