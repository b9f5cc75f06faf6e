using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>A team's AI-assisted changes fail more often than its others: a quality signal.</summary>
public sealed class QualityRegressionDetectedConsumer(SignalRecorder signals) : IConsumer<QualityRegressionDetected>
{
    public Task Consume(ConsumeContext<QualityRegressionDetected> context)
    {
        var m = context.Message;
        return signals.RecordAsync(
            context,
            $"quality:{m.Team}:{m.WindowEnd.UtcTicks}",
            new AlertSignal
            {
                Kind = AlertKinds.Quality,
                Scope = new AlertScope("team", m.Team),
                At = m.DetectedAt,
                Severity = Severities.Warning,
                Observed = m.AiAssistedMerged == 0 ? 0 : Math.Round(100m * m.AiAssistedFailed / m.AiAssistedMerged, 1),
                Threshold =
                    (m.OtherMerged == 0 ? 0 : Math.Round(100m * m.OtherFailed / m.OtherMerged, 1))
                    + m.MarginPercentagePoints,
                Title = $"Team {m.Team}'s AI-assisted changes fail more often than its others",
                Detail =
                    $"AI-assisted: {m.AiAssistedFailed} of {m.AiAssistedMerged} failed; other: {m.OtherFailed} of {m.OtherMerged}.",
            }
        );
    }
}

public sealed class QualityRegressionDetectedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<QualityRegressionDetectedConsumer>(settings, SignalRecorder.Area);
