using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Contracts;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Alerting;

public sealed class ExactlyOnceTests(AlertingSystem system) : IClassFixture<AlertingSystem>
{
    private static BudgetExhausted Exhausted(string user) =>
        new()
        {
            BudgetId = "user:" + user,
            ScopeType = "user",
            ScopeId = user,
            AmountUsd = 10m,
            SpentUsd = 10.5m,
            HardLimit = false,
            PeriodStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            PeriodEnd = DateTimeOffset.UtcNow.AddDays(5),
            ExhaustedAt = DateTimeOffset.UtcNow,
        };

    private Task Publish(BudgetExhausted message) =>
        system.Accounting.Services.GetRequiredService<IBus>().Publish(message);

    [Fact]
    public async Task A_redelivered_finding_raises_one_alert_and_a_restart_publishes_nothing_again()
    {
        var user = "twice-" + Guid.NewGuid().ToString("N")[..6];
        await using var subscriber = await AlertSubscriber.BindAsync(system.Environment, "alert.budget.#");
        var consumed = new[] { system.Alerting, system.SecondAlerting }
            .Select(s =>
                ConsumedMessages<BudgetExhausted>.Watch(s.Services.GetRequiredService<IBus>(), m => m.ScopeId == user)
            )
            .ToList();
        var message = Exhausted(user);
        await Publish(message);
        await Publish(message);
        await Eventually.Until(
            () => Task.FromResult(consumed.Sum(c => c.Count)),
            n => n >= 2,
            "both deliveries to be handled"
        );

        // The publisher works in commit order: once a later alert is out, any duplicate of the first would be too.
        await Sentinel();
        Assert.Single(subscriber.Received, m => m.Text("title").Contains(user));
        var alert = Assert.Single((await system.Api.ListAlertsAsync(scope: $"user:{user}")).Content!);
        Assert.Equal(["raised"], (await system.Api.GetAlertAsync(alert.Id)).Content!.History.Select(h => h.Change));

        await system.RestartAlertingAsync();
        await Publish(message);
        await Sentinel();
        Assert.Single(subscriber.Received, m => m.Text("title").Contains(user));
        Assert.Single((await system.Api.ListAlertsAsync(scope: $"user:{user}")).Content!);

        async Task Sentinel()
        {
            var sentinel = "sentinel-" + Guid.NewGuid().ToString("N")[..6];
            await Publish(Exhausted(sentinel));
            await subscriber.WaitForAsync(m => m.Text("title").Contains(sentinel), "a later alert to be published");
        }
    }

    [Fact]
    public async Task A_charged_batch_delivered_twice_is_watched_once()
    {
        var (user, session) = ("batch-" + Guid.NewGuid().ToString("N")[..6], "s-" + Guid.NewGuid().ToString("N")[..6]);
        var batch = new UsageChargedBatch
        {
            BatchId = Guid.NewGuid().ToString("N"),
            Items =
            [
                new UsageCharged
                {
                    UsageKey = "test/" + Guid.NewGuid().ToString("N"),
                    OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
                    User = user,
                    Model = "m",
                    Tokens = new TokenCounts(100, 0, 0, 0, 10, 0),
                    Cost = new BucketCosts(1m, 0, 0, 0, 0.5m),
                    Context = new UsageContext { SessionId = session },
                },
            ],
        };
        var consumed = new[] { system.Alerting, system.SecondAlerting }
            .Select(s =>
                ConsumedMessages<UsageChargedBatch>.Watch(
                    s.Services.GetRequiredService<IBus>(),
                    m => m.BatchId == batch.BatchId
                )
            )
            .ToList();
        var bus = system.Accounting.Services.GetRequiredService<IBus>();
        await bus.Publish(batch);
        await bus.Publish(batch);
        await Eventually.Until(
            () => Task.FromResult(consumed.Sum(c => c.Count)),
            n => n >= 2,
            "both deliveries to be handled"
        );

        Assert.Equal((1.5m, 1.5m, 1), await system.WatchedAsync(user, session));
    }
}
