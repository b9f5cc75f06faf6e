using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>Spend with no merged PR to show for it: a token-burn signal addressed to the manager, for review.</summary>
public sealed class ZeroOutcomeSpendDetectedConsumer(SignalRecorder signals) : IConsumer<ZeroOutcomeSpendDetected>
{
    public Task Consume(ConsumeContext<ZeroOutcomeSpendDetected> context)
    {
        var m = context.Message;
        return signals.RecordAsync(
            context,
            $"zero-outcome:{m.ScopeType}:{m.ScopeId}:{m.WindowEnd.UtcTicks}",
            new AlertSignal
            {
                Kind = AlertKinds.TokenBurn,
                Scope = new AlertScope(m.ScopeType, m.ScopeId),
                At = m.DetectedAt,
                Severity = Severities.Warning,
                Observed = m.SpendUsd,
                Threshold = m.FloorUsd,
                Manager = m.Manager,
                Title = $"{m.ScopeType} {m.ScopeId} spent ${m.SpendUsd:0.00} with no merged PR to show for it",
                Detail = $"From {m.WindowStart:u} to {m.WindowEnd:u}; for a manager's review, not a leaderboard.",
            }
        );
    }
}

public sealed class ZeroOutcomeSpendDetectedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<ZeroOutcomeSpendDetectedConsumer>(settings, SignalRecorder.Area);
