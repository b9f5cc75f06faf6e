using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>A budget reached one of its thresholds: a budget signal at the severity the budget rule gives that threshold.</summary>
public sealed class BudgetThresholdCrossedConsumer(SignalRecorder signals, RuleBook rules)
    : IConsumer<BudgetThresholdCrossed>
{
    public async Task Consume(ConsumeContext<BudgetThresholdCrossed> context)
    {
        var m = context.Message;
        var rule = (await rules.CurrentAsync(context.CancellationToken)).Budget;
        await signals.RecordAsync(
            context,
            $"budget:{m.BudgetId}:{m.PeriodStart.UtcTicks}:{m.ThresholdPercent}",
            new AlertSignal
            {
                Kind = AlertKinds.Budget,
                Scope = new AlertScope(m.ScopeType, m.ScopeId),
                At = m.CrossedAt,
                Severity = rule.SeverityOf(m.ThresholdPercent),
                Observed = m.SpentUsd,
                Threshold = m.AmountUsd * m.ThresholdPercent / 100m,
                Title = $"{m.ScopeType} {m.ScopeId} reached {m.ThresholdPercent}% of its ${m.AmountUsd:0.##} budget",
                Detail = $"${m.SpentUsd:0.00} spent in the period {m.PeriodStart:u} – {m.PeriodEnd:u}.",
                Links = SignalRecorder.BudgetLinks(m.BudgetId, m.PeriodEnd),
            }
        );
    }
}

public sealed class BudgetThresholdCrossedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<BudgetThresholdCrossedConsumer>(settings, SignalRecorder.Area);
