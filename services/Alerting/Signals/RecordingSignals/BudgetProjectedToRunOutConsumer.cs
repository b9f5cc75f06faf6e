using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Alerting.Signals.RecordingSignals;

/// <summary>
/// A budget is heading to run out before its period ends: a budget signal at warning, so the budget's one alert is
/// raised while there is still time to act (a threshold crossed later escalates the same alert).
/// </summary>
public sealed class BudgetProjectedToRunOutConsumer(SignalRecorder signals) : IConsumer<BudgetProjectedToRunOut>
{
    public async Task Consume(ConsumeContext<BudgetProjectedToRunOut> context)
    {
        var m = context.Message;
        await signals.RecordAsync(
            context,
            $"budget:{m.BudgetId}:{m.PeriodStart.UtcTicks}:projected",
            new AlertSignal
            {
                Kind = AlertKinds.Budget,
                Scope = new AlertScope(m.ScopeType, m.ScopeId),
                At = m.ProjectedAt,
                Severity = Severities.Warning,
                Observed = m.ProjectedUsd,
                Threshold = m.AmountUsd,
                Title =
                    $"{m.ScopeType} {m.ScopeId} is heading to spend its ${m.AmountUsd:0.##} budget by {m.RunsOutAt:yyyy-MM-dd}",
                Detail =
                    $"${m.SpentUsd:0.00} spent since {m.PeriodStart:u}; at ${m.DailyRateUsd:0.00} a day the period "
                    + $"ending {m.PeriodEnd:u} would cost ${m.ProjectedUsd:0.00}.",
                Links = SignalRecorder.BudgetLinks(m.BudgetId, m.PeriodEnd),
            }
        );
    }
}

public sealed class BudgetProjectedToRunOutConsumerDefinition(TokenwiseSettings settings)
    : AreaQueueDefinition<BudgetProjectedToRunOutConsumer>(settings, SignalRecorder.Area);
