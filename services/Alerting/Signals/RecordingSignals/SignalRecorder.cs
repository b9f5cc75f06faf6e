using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>
/// Turns the other services' findings (budgets, zero-outcome spend, quality regressions, quarantined items, failed
/// messages) into signals, once each: the message's key is claimed in the transaction that appends the signal. They
/// arrive on one queue, <c>alerting-signals</c>.
/// </summary>
public sealed class SignalRecorder(IdempotentWriter writer, ItemIsolation isolation)
{
    public const string Area = "signals";

    /// <summary>Records the message's signal once (its key claimed); a message that cannot be recorded is quarantined.</summary>
    public Task RecordAsync<T>(ConsumeContext<T> context, string key, AlertSignal signal)
        where T : class =>
        isolation.RunAsync(
            context,
            [context.Message],
            _ =>
                writer.WriteOnceAsync(
                    ["signal:" + key],
                    (_, session) => session.Events.Append("signal:" + key, new SignalsObserved([signal])),
                    context.CancellationToken
                ),
            _ => key,
            m => m
        );

    public static Dictionary<string, string> BudgetLinks(string budgetId, DateTimeOffset periodEnd) =>
        new() { ["budget"] = budgetId, ["periodEnd"] = periodEnd.ToString("O") };
}
