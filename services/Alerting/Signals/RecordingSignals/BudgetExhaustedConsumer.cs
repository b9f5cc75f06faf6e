using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>A budget was spent: a critical budget signal, which opens a breaker until the period ends when the limit is hard.</summary>
public sealed class BudgetExhaustedConsumer(SignalRecorder signals) : IConsumer<BudgetExhausted>
{
    public Task Consume(ConsumeContext<BudgetExhausted> context)
    {
        var m = context.Message;
        return signals.RecordAsync(
            context,
            $"budget-exhausted:{m.BudgetId}:{m.PeriodStart.UtcTicks}",
            new AlertSignal
            {
                Kind = AlertKinds.Budget,
                Scope = new AlertScope(m.ScopeType, m.ScopeId),
                At = m.ExhaustedAt,
                Severity = Severities.Critical,
                Observed = m.SpentUsd,
                Threshold = m.AmountUsd,
                Title = $"{m.ScopeType} {m.ScopeId} exhausted its ${m.AmountUsd:0.##} budget",
                Detail = m.HardLimit
                    ? $"Hard limit: spend is stopped until {m.PeriodEnd:u}."
                    : "Soft limit: spend goes on.",
                Links = SignalRecorder.BudgetLinks(m.BudgetId, m.PeriodEnd),
                OpensBreaker = m.HardLimit
                    ? new BreakerRequest(m.ScopeType, m.ScopeId, m.PeriodEnd, "hard budget exhausted")
                    : null,
            }
        );
    }
}

public sealed class BudgetExhaustedConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<BudgetExhaustedConsumer>(settings, SignalRecorder.Area);
