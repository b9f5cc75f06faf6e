using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

/// <summary>Findings of the other services become alerts; a budget period's end resolves its alert and closes its breaker.</summary>
public sealed class FindingTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    private Task Publish<T>(T message)
        where T : class => system.Accounting.Services.GetRequiredService<IBus>().Publish(message);

    [Fact]
    public async Task Zero_outcome_spend_and_quality_regressions_alert_with_their_kind_severity_and_manager()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(
            system.Environment,
            "alert.token_burn.*",
            "alert.quality.*"
        );
        var now = DateTimeOffset.UtcNow;
        await Publish(
            new ZeroOutcomeSpendDetected
            {
                ScopeType = "user",
                ScopeId = "idle-" + id,
                SpendUsd = 75m,
                FloorUsd = 50m,
                WindowStart = now.AddDays(-7),
                WindowEnd = now,
                Manager = "boss-" + id,
                DetectedAt = now,
            }
        );
        await Publish(
            new QualityRegressionDetected
            {
                Team = "team-" + id,
                AiAssistedMerged = 10,
                AiAssistedFailed = 4,
                OtherMerged = 10,
                OtherFailed = 1,
                MarginPercentagePoints = 10m,
                WindowStart = now.AddDays(-30),
                WindowEnd = now,
                DetectedAt = now,
            }
        );

        var idle = (
            await subscriber.WaitForAsync(m => m.Text("title").Contains("idle-" + id), "the zero-outcome alert")
        ).Single();
        Assert.Equal(
            ("alert.token_burn.warning", "boss-" + id, 75m),
            (idle.RoutingKey, idle.Text("manager"), idle.Body.GetProperty("observed").GetDecimal())
        );
        var quality = (
            await subscriber.WaitForAsync(m => m.Text("title").Contains("team-" + id), "the quality alert")
        ).Single();
        Assert.Equal(
            ("alert.quality.warning", 40m, 20m),
            (
                quality.RoutingKey,
                quality.Body.GetProperty("observed").GetDecimal(),
                quality.Body.GetProperty("threshold").GetDecimal()
            )
        );
    }

    [Fact]
    public async Task A_thousand_models_without_a_price_raise_one_alert_that_lists_some_and_counts_them_all()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.unpriced.*");
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(
            Enumerable
                .Range(0, 1_000)
                .Select(i =>
                    Publish(
                        new UnpricedModelSeen
                        {
                            Provider = "junk",
                            Model = $"m{i:d4}-{id}",
                            FirstUsageKey = $"k-{i}-{id}",
                            FirstSeenAt = now.AddMilliseconds(i),
                        }
                    )
                )
        );

        await Eventually.Until(
            () => system.CountAsync($"unpriced_models where model like 'junk/%-{id}'"),
            n => n == 1_000,
            "Alerting to take in all 1,000 sightings"
        );
        await system.Evaluator.EvaluateAsync(default);
        var alert = await Eventually.Until(
            async () => (await system.Api.ListAlertsAsync(kind: "unpriced")).Content!.SingleOrDefault(),
            a => a is not null,
            "one unpriced alert"
        );

        Assert.Equal(
            ("price_book", "unpriced", "info", 1_000m),
            (alert!.Scope.Type, alert.Scope.Id, alert.Severity, alert.Observed)
        );
        Assert.Equal("1000 models have no price", alert.Title);
        Assert.StartsWith($"junk/m0000-{id}, junk/m0001-{id}", alert.Detail);
        Assert.Contains("and 990 more", alert.Detail);
        // Ops hear of it once: repeats update the alert, they are not published again.
        await subscriber.WaitForAsync(m => m.RoutingKey == "alert.unpriced.info", "the unpriced alert on the exchange");
        Assert.Single(subscriber.Received, m => m.RoutingKey == "alert.unpriced.info");
    }

    [Fact]
    public async Task When_the_budget_period_ends_its_alert_resolves_and_the_hard_limit_breaker_closes()
    {
        var user = "period-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(
            system.Environment,
            "alert.budget.#",
            "alert.breaker.#"
        );
        var now = DateTimeOffset.UtcNow;
        await Publish(
            new BudgetExhausted
            {
                BudgetId = "user:" + user,
                ScopeType = "user",
                ScopeId = user,
                AmountUsd = 5m,
                SpentUsd = 5m,
                HardLimit = true,
                PeriodStart = now.AddDays(-1),
                PeriodEnd = now.AddMinutes(1),
                ExhaustedAt = now,
            }
        );
        var raised = (
            await subscriber.WaitForAsync(
                m => m.RoutingKey == "alert.budget.critical" && m.Text("title").Contains(user),
                "the alert"
            )
        ).Single();
        await subscriber.WaitForAsync(
            m => m.RoutingKey == "alert.breaker.critical" && m.Text("title").Contains(user),
            "the breaker to open"
        );
        await Eventually.Until(
            async () => (await system.Api.CheckAsync(user)).Content!,
            c => !c.Allow,
            "the check to refuse"
        );

        system.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.Until(
            async () =>
            {
                await system.Evaluator.EvaluateAsync(default);
                return subscriber.Received.Count(m =>
                    (m.Text("alertId") == raised.Text("alertId") && m.Text("status") == "resolved")
                    || (m.RoutingKey == "alert.breaker.info" && m.Text("title").Contains(user))
                );
            },
            n => n == 2,
            "the alert to resolve and the breaker to close"
        );
        Assert.True(
            (
                await Eventually.Until(
                    async () => (await system.SecondApi.CheckAsync(user)).Content!,
                    c => c.Allow,
                    "spend to be allowed"
                )
            ).Allow
        );
    }
}
