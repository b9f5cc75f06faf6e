using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Alerting.Watching;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;
using Tokenwise.ServiceDefaults.Operations;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Signals;

/// <summary>
/// Turns the other services' findings (budgets, zero-outcome spend, quality regressions, quarantined items, failed
/// messages) into signals, once each: the message's key is claimed in the transaction that appends the signal.
/// Unpriced models are kept for the evaluator, which raises one alert listing them.
/// </summary>
public sealed class SignalConsumers(IdempotentWriter writer, ItemIsolation isolation, RuleBook rules, WatchLedger ledger)
    : IConsumer<BudgetThresholdCrossed>, IConsumer<BudgetExhausted>, IConsumer<ZeroOutcomeSpendDetected>, IConsumer<QualityRegressionDetected>,
        IConsumer<UnpricedModelSeen>, IConsumer<ItemQuarantined>, IConsumer<MessagesFailed>
{
    public async Task Consume(ConsumeContext<BudgetThresholdCrossed> context)
    {
        var m = context.Message;
        var rule = (await rules.CurrentAsync(context.CancellationToken)).Budget;
        await ObserveAsync(context, $"budget:{m.BudgetId}:{m.PeriodStart.UtcTicks}:{m.ThresholdPercent}", new AlertSignal
        {
            Kind = AlertKinds.Budget, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.CrossedAt, Severity = rule.SeverityOf(m.ThresholdPercent),
            Observed = m.SpentUsd, Threshold = m.AmountUsd * m.ThresholdPercent / 100m,
            Title = $"{m.ScopeType} {m.ScopeId} reached {m.ThresholdPercent}% of its ${m.AmountUsd:0.##} budget",
            Detail = $"${m.SpentUsd:0.00} spent in the period {m.PeriodStart:u} – {m.PeriodEnd:u}.",
            Links = BudgetLinks(m.BudgetId, m.PeriodEnd),
        });
    }

    public Task Consume(ConsumeContext<BudgetExhausted> context)
    {
        var m = context.Message;
        return ObserveAsync(context, $"budget-exhausted:{m.BudgetId}:{m.PeriodStart.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.Budget, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.ExhaustedAt, Severity = Severities.Critical,
            Observed = m.SpentUsd, Threshold = m.AmountUsd,
            Title = $"{m.ScopeType} {m.ScopeId} exhausted its ${m.AmountUsd:0.##} budget",
            Detail = m.HardLimit ? $"Hard limit: spend is stopped until {m.PeriodEnd:u}." : "Soft limit: spend goes on.",
            Links = BudgetLinks(m.BudgetId, m.PeriodEnd),
            OpensBreaker = m.HardLimit ? new BreakerRequest(m.ScopeType, m.ScopeId, m.PeriodEnd, "hard budget exhausted") : null,
        });
    }

    public Task Consume(ConsumeContext<ZeroOutcomeSpendDetected> context)
    {
        var m = context.Message;
        return ObserveAsync(context, $"zero-outcome:{m.ScopeType}:{m.ScopeId}:{m.WindowEnd.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.TokenBurn, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.DetectedAt, Severity = Severities.Warning,
            Observed = m.SpendUsd, Threshold = m.FloorUsd, Manager = m.Manager,
            Title = $"{m.ScopeType} {m.ScopeId} spent ${m.SpendUsd:0.00} with no merged PR to show for it",
            Detail = $"From {m.WindowStart:u} to {m.WindowEnd:u}; for a manager's review, not a leaderboard.",
        });
    }

    public Task Consume(ConsumeContext<QualityRegressionDetected> context)
    {
        var m = context.Message;
        return ObserveAsync(context, $"quality:{m.Team}:{m.WindowEnd.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.Quality, Scope = new AlertScope("team", m.Team), At = m.DetectedAt, Severity = Severities.Warning,
            Observed = m.AiAssistedMerged == 0 ? 0 : Math.Round(100m * m.AiAssistedFailed / m.AiAssistedMerged, 1),
            Threshold = (m.OtherMerged == 0 ? 0 : Math.Round(100m * m.OtherFailed / m.OtherMerged, 1)) + m.MarginPercentagePoints,
            Title = $"Team {m.Team}'s AI-assisted changes fail more often than its others",
            Detail = $"AI-assisted: {m.AiAssistedFailed} of {m.AiAssistedMerged} failed; other: {m.OtherFailed} of {m.OtherMerged}.",
        });
    }

    /// <summary>
    /// A model without a price is remembered, not alerted on alone: the evaluator raises one unpriced alert that lists
    /// the models (UnpricedModels), so a thousand junk names make one alert, not a thousand.
    /// </summary>
    public Task Consume(ConsumeContext<UnpricedModelSeen> context) =>
        isolation.RunAsync(context, [context.Message],
            items => writer.WriteAsync(write => ledger.AddUnpricedAsync(items[0], write.Connection, write.Transaction, context.CancellationToken),
                context.CancellationToken),
            m => $"unpriced:{m.Provider}/{m.Model}", m => m);

    public Task Consume(ConsumeContext<ItemQuarantined> context)
    {
        var m = context.Message;
        return ObserveAsync(context, $"quarantined:{m.Service}:{m.Queue}:{m.ItemKey}:{m.QuarantinedAt.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.Pipeline, Scope = new AlertScope("service", m.Service.ToLowerInvariant()), At = m.QuarantinedAt,
            Severity = Severities.Critical, Observed = m.Quarantined, Threshold = 0,
            Title = $"{m.Service} quarantined {m.Quarantined} item{(m.Quarantined == 1 ? "" : "s")} it could not take in",
            Detail = $"Latest: {m.ItemKey} from {m.Queue}: {m.Reason.TrimEnd('.')}. The rest of its batch was counted. GET /v1/ops/quarantine on " +
                     $"{m.Service} lists them; fix the cause, then POST /v1/ops/quarantine/replay.",
            Links = new Dictionary<string, string> { ["quarantine"] = "/v1/ops/quarantine", ["service"] = m.Service.ToLowerInvariant() },
        });
    }

    /// <summary>Messages that failed every retry: an alert per error queue while it holds any, resolved when it is empty.</summary>
    public Task Consume(ConsumeContext<MessagesFailed> context)
    {
        var m = context.Message;
        return ObserveAsync(context, $"failed:{m.Queue}:{m.ObservedAt.UtcTicks}:{m.Count}", new AlertSignal
        {
            Kind = AlertKinds.Pipeline, Scope = new AlertScope("queue", m.Queue), At = m.ObservedAt, Holds = m.Count > 0,
            Severity = Severities.Critical, Observed = m.Count, Threshold = 0,
            Title = $"{m.Count} message{(m.Count == 1 ? "" : "s")} failed every retry in {m.Queue}",
            Detail = m.Count > 0
                ? $"They wait in {m.Queue}_error. GET /v1/ops/failed-messages on {m.Service} lists them with the reason; " +
                  "POST /v1/ops/failed-messages/replay sends them back."
                : $"{m.Queue}_error is empty again.",
            Links = new Dictionary<string, string> { ["failedMessages"] = "/v1/ops/failed-messages", ["service"] = m.Service.ToLowerInvariant() },
        });
    }

    private static Dictionary<string, string> BudgetLinks(string budgetId, DateTimeOffset periodEnd) =>
        new() { ["budget"] = budgetId, ["periodEnd"] = periodEnd.ToString("O") };

    /// <summary>Records the message's signal once (its key claimed); a message that cannot be recorded is quarantined.</summary>
    private Task ObserveAsync<T>(ConsumeContext<T> context, string key, AlertSignal signal) where T : class =>
        isolation.RunAsync(context, [context.Message], _ => writer.WriteOnceAsync(["signal:" + key],
                (_, session) => session.Events.Append("signal:" + key, new SignalsObserved([signal])), context.CancellationToken),
            _ => key, m => m);
}

public sealed class SignalConsumersDefinition : ConsumerDefinition<SignalConsumers>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<SignalConsumers> consumer,
        IRegistrationContext context) => endpoint.UseTransientRetry(context);
}
