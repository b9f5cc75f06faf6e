using MassTransit;
using Tokenwise.Alerting.Alerts;
using Tokenwise.Alerting.Rules;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Signals;

/// <summary>
/// Turns the other services' findings (budgets, zero-outcome spend, quality regressions, unpriced models) into
/// signals, once each: the message's key is claimed in the transaction that appends the signal.
/// </summary>
public sealed class SignalConsumers(IdempotentWriter writer, RuleBook rules)
    : IConsumer<BudgetThresholdCrossed>, IConsumer<BudgetExhausted>, IConsumer<ZeroOutcomeSpendDetected>, IConsumer<QualityRegressionDetected>,
        IConsumer<UnpricedModelSeen>
{
    public async Task Consume(ConsumeContext<BudgetThresholdCrossed> context)
    {
        var m = context.Message;
        var rule = (await rules.CurrentAsync(context.CancellationToken)).Budget;
        await ObserveAsync($"budget:{m.BudgetId}:{m.PeriodStart.UtcTicks}:{m.ThresholdPercent}", new AlertSignal
        {
            Kind = AlertKinds.Budget, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.CrossedAt, Severity = rule.SeverityOf(m.ThresholdPercent),
            Observed = m.SpentUsd, Threshold = m.AmountUsd * m.ThresholdPercent / 100m,
            Title = $"{m.ScopeType} {m.ScopeId} reached {m.ThresholdPercent}% of its ${m.AmountUsd:0.##} budget",
            Detail = $"${m.SpentUsd:0.00} spent in the period {m.PeriodStart:u} – {m.PeriodEnd:u}.",
            Links = BudgetLinks(m.BudgetId, m.PeriodEnd),
        }, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<BudgetExhausted> context)
    {
        var m = context.Message;
        return ObserveAsync($"budget-exhausted:{m.BudgetId}:{m.PeriodStart.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.Budget, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.ExhaustedAt, Severity = Severities.Critical,
            Observed = m.SpentUsd, Threshold = m.AmountUsd,
            Title = $"{m.ScopeType} {m.ScopeId} exhausted its ${m.AmountUsd:0.##} budget",
            Detail = m.HardLimit ? $"Hard limit: spend is stopped until {m.PeriodEnd:u}." : "Soft limit: spend goes on.",
            Links = BudgetLinks(m.BudgetId, m.PeriodEnd),
            OpensBreaker = m.HardLimit ? new BreakerRequest(m.ScopeType, m.ScopeId, m.PeriodEnd, "hard budget exhausted") : null,
        }, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<ZeroOutcomeSpendDetected> context)
    {
        var m = context.Message;
        return ObserveAsync($"zero-outcome:{m.ScopeType}:{m.ScopeId}:{m.WindowEnd.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.TokenBurn, Scope = new AlertScope(m.ScopeType, m.ScopeId), At = m.DetectedAt, Severity = Severities.Warning,
            Observed = m.SpendUsd, Threshold = m.FloorUsd, Manager = m.Manager,
            Title = $"{m.ScopeType} {m.ScopeId} spent ${m.SpendUsd:0.00} with no merged PR to show for it",
            Detail = $"From {m.WindowStart:u} to {m.WindowEnd:u}; for a manager's review, not a leaderboard.",
        }, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<QualityRegressionDetected> context)
    {
        var m = context.Message;
        return ObserveAsync($"quality:{m.Team}:{m.WindowEnd.UtcTicks}", new AlertSignal
        {
            Kind = AlertKinds.Quality, Scope = new AlertScope("team", m.Team), At = m.DetectedAt, Severity = Severities.Warning,
            Observed = m.AiAssistedMerged == 0 ? 0 : Math.Round(100m * m.AiAssistedFailed / m.AiAssistedMerged, 1),
            Threshold = (m.OtherMerged == 0 ? 0 : Math.Round(100m * m.OtherFailed / m.OtherMerged, 1)) + m.MarginPercentagePoints,
            Title = $"Team {m.Team}'s AI-assisted changes fail more often than its others",
            Detail = $"AI-assisted: {m.AiAssistedFailed} of {m.AiAssistedMerged} failed; other: {m.OtherFailed} of {m.OtherMerged}.",
        }, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<UnpricedModelSeen> context)
    {
        var m = context.Message;
        return ObserveAsync($"unpriced:{m.Provider}:{m.Model}", new AlertSignal
        {
            Kind = AlertKinds.Unpriced, Scope = new AlertScope("model", $"{m.Provider}/{m.Model}"), At = m.FirstSeenAt, Severity = Severities.Info,
            Title = $"Model {m.Provider}/{m.Model} has no price", Detail = "Its usage counts at $0 until a price is set; it is re-priced then.",
        }, context.CancellationToken);
    }

    private static Dictionary<string, string> BudgetLinks(string budgetId, DateTimeOffset periodEnd) =>
        new() { ["budget"] = budgetId, ["periodEnd"] = periodEnd.ToString("O") };

    private Task ObserveAsync(string key, AlertSignal signal, CancellationToken ct) =>
        writer.WriteOnceAsync(["signal:" + key], (_, session) => session.Events.Append("signal:" + key, new SignalsObserved([signal])), ct);
}

public sealed class SignalConsumersDefinition : ConsumerDefinition<SignalConsumers>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<SignalConsumers> consumer,
        IRegistrationContext context) => endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 1_000, 5_000, 15_000));
}
