using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;

namespace Tokenwise.Alerting.Tests.Alerts;

public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private static AlertSignal Signal(string severity, decimal observed, DateTimeOffset at, bool holds = true) =>
        new()
        {
            Kind = AlertKinds.Budget,
            Scope = new AlertScope("user", "alice"),
            At = at,
            Severity = severity,
            Observed = observed,
            Holds = holds,
            Title = "budget",
        };

    private static Alert Raised() =>
        ((AlertRaised)AlertLifecycle.Decide(Signal(Severities.Info, 50m, T0), null)!).Alert;

    [Fact]
    public void A_first_signal_raises_an_alert_whose_id_comes_from_the_signal_not_chance()
    {
        var raised = AlertLifecycle.Decide(Signal(Severities.Info, 50m, T0), null);
        var again = AlertLifecycle.Decide(Signal(Severities.Info, 50m, T0), null);
        var alert = Assert.IsType<AlertRaised>(raised).Alert;
        Assert.Equal((AlertStatuses.Raised, 1L), (alert.Status, alert.Version));
        Assert.Equal(alert.Id, Assert.IsType<AlertRaised>(again).Alert.Id);
    }

    [Fact]
    public void A_repeat_at_the_same_severity_updates_at_most_once_a_minute_and_is_never_raised_again()
    {
        var open = Raised();
        Assert.Null(AlertLifecycle.Decide(Signal(Severities.Info, 60m, T0.AddSeconds(59)), open));
        var updated = Assert.IsType<AlertUpdated>(
            AlertLifecycle.Decide(Signal(Severities.Info, 60m, T0.AddMinutes(1)), open)
        );
        Assert.Equal((60m, AlertStatuses.Raised), (updated.Alert.Observed, updated.Alert.Status));
        Assert.Null(AlertLifecycle.Decide(Signal(Severities.Info, 50m, T0.AddMinutes(5)), open));
    }

    [Fact]
    public void A_worse_severity_escalates_even_after_an_acknowledgement_and_a_lower_one_does_not()
    {
        var acknowledged = (
            (AlertAcknowledged)
                AlertLifecycle.Decide(
                    new AlertActionRequested(Raised().Id, AlertActions.Acknowledge, "ops", null, T0.AddMinutes(1)),
                    Raised()
                )!
        ).Alert;
        var escalated = Assert.IsType<AlertEscalated>(
            AlertLifecycle.Decide(Signal(Severities.Warning, 80m, T0.AddMinutes(2)), acknowledged)
        );
        Assert.Equal(
            (Severities.Warning, AlertStatuses.Escalated, Severities.Info),
            (escalated.Alert.Severity, escalated.Alert.Status, escalated.PreviousSeverity)
        );
        Assert.Null(AlertLifecycle.Decide(Signal(Severities.Info, 80m, T0.AddMinutes(2)), escalated.Alert));
    }

    [Fact]
    public void A_cleared_condition_resolves_the_open_alert_and_the_next_signal_raises_a_new_one()
    {
        var resolved = Assert.IsType<AlertResolved>(
            AlertLifecycle.Decide(Signal(Severities.Info, 0m, T0.AddHours(1), holds: false), Raised())
        );
        Assert.Equal(
            (AlertStatuses.Resolved, AlertLifecycle.System),
            (resolved.Alert.Status, resolved.Alert.ResolvedBy)
        );
        Assert.Null(AlertLifecycle.Decide(Signal(Severities.Info, 0m, T0.AddHours(1), holds: false), null));
        var next = Assert.IsType<AlertRaised>(
            AlertLifecycle.Decide(Signal(Severities.Info, 50m, T0.AddDays(31)), null)
        );
        Assert.NotEqual(resolved.Alert.Id, next.Alert.Id);
    }

    [Fact]
    public void Acknowledging_twice_or_acting_on_a_resolved_alert_changes_nothing_and_resolving_records_who_and_why()
    {
        var open = Raised();
        var ack = new AlertActionRequested(open.Id, AlertActions.Acknowledge, "ops", "looking", T0.AddMinutes(1));
        var acknowledged = ((AlertAcknowledged)AlertLifecycle.Decide(ack, open)!).Alert;
        Assert.Null(AlertLifecycle.Decide(ack, acknowledged));
        var resolved = Assert.IsType<AlertResolved>(
            AlertLifecycle.Decide(
                new AlertActionRequested(open.Id, AlertActions.Resolve, "dana", "raised the budget", T0.AddMinutes(2)),
                acknowledged
            )
        );
        Assert.Equal(("dana", "raised the budget"), (resolved.By, resolved.Reason));
        Assert.Null(
            AlertLifecycle.Decide(
                new AlertActionRequested(open.Id, AlertActions.Resolve, "x", "y", T0.AddMinutes(3)),
                resolved.Alert
            )
        );
    }
}
