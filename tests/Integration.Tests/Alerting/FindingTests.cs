using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

/// <summary>Findings of the other services become alerts; a budget period's end resolves its alert and closes its breaker.</summary>
public sealed class FindingTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    private Task Publish<T>(T message) where T : class => system.Accounting.Services.GetRequiredService<IBus>().Publish(message);

    [Fact]
    public async Task Zero_outcome_spend_quality_regressions_and_unpriced_models_alert_with_their_kind_severity_and_manager()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.token_burn.*", "alert.quality.*", "alert.unpriced.*");
        var now = DateTimeOffset.UtcNow;
        await Publish(new ZeroOutcomeSpendDetected
        {
            ScopeType = "user", ScopeId = "idle-" + id, SpendUsd = 75m, FloorUsd = 50m, WindowStart = now.AddDays(-7), WindowEnd = now,
            Manager = "boss-" + id, DetectedAt = now,
        });
        await Publish(new QualityRegressionDetected
        {
            Team = "team-" + id, AiAssistedMerged = 10, AiAssistedFailed = 4, OtherMerged = 10, OtherFailed = 1, MarginPercentagePoints = 10m,
            WindowStart = now.AddDays(-30), WindowEnd = now, DetectedAt = now,
        });
        await Publish(new UnpricedModelSeen { Provider = "acme", Model = "model-" + id, FirstUsageKey = "k-" + id, FirstSeenAt = now });

        var idle = (await subscriber.WaitForAsync(m => m.Text("title").Contains("idle-" + id), "the zero-outcome alert")).Single();
        Assert.Equal(("alert.token_burn.warning", "boss-" + id, 75m), (idle.RoutingKey, idle.Text("manager"), idle.Body.GetProperty("observed").GetDecimal()));
        var quality = (await subscriber.WaitForAsync(m => m.Text("title").Contains("team-" + id), "the quality alert")).Single();
        Assert.Equal(("alert.quality.warning", 40m, 20m), (quality.RoutingKey, quality.Body.GetProperty("observed").GetDecimal(),
            quality.Body.GetProperty("threshold").GetDecimal()));
        var unpriced = (await subscriber.WaitForAsync(m => m.Text("title").Contains("model-" + id), "the unpriced alert")).Single();
        Assert.Equal(("alert.unpriced.info", "model", $"acme/model-{id}"), (unpriced.RoutingKey,
            unpriced.Body.GetProperty("scope").GetProperty("type").GetString(), unpriced.Body.GetProperty("scope").GetProperty("id").GetString()));
    }

    [Fact]
    public async Task When_the_budget_period_ends_its_alert_resolves_and_the_hard_limit_breaker_closes()
    {
        var user = "period-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.budget.#", "alert.breaker.#");
        var now = DateTimeOffset.UtcNow;
        await Publish(new BudgetExhausted
        {
            BudgetId = "user:" + user, ScopeType = "user", ScopeId = user, AmountUsd = 5m, SpentUsd = 5m, HardLimit = true,
            PeriodStart = now.AddDays(-1), PeriodEnd = now.AddMinutes(1), ExhaustedAt = now,
        });
        var raised = (await subscriber.WaitForAsync(m => m.RoutingKey == "alert.budget.critical" && m.Text("title").Contains(user), "the alert")).Single();
        await subscriber.WaitForAsync(m => m.RoutingKey == "alert.breaker.critical" && m.Text("title").Contains(user), "the breaker to open");
        await Eventually.Until(async () => (await system.Api.CheckAsync(user)).Content!, c => !c.Allow, "the check to refuse");

        system.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.Until(async () =>
        {
            await system.Evaluator.EvaluateAsync(default);
            return subscriber.Received.Count(m => (m.Text("alertId") == raised.Text("alertId") && m.Text("status") == "resolved")
                                                  || (m.RoutingKey == "alert.breaker.info" && m.Text("title").Contains(user)));
        }, n => n == 2, "the alert to resolve and the breaker to close");
        Assert.True((await Eventually.Until(async () => (await system.SecondApi.CheckAsync(user)).Content!, c => c.Allow, "spend to be allowed")).Allow);
    }
}
