using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Observing;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Outcomes;

public sealed class ExactlyOnceTests(OutcomesSystem system) : IClassFixture<OutcomesSystem>
{
    [Fact]
    public async Task A_charged_batch_delivered_twice_counts_once_on_its_PR()
    {
        var (repo, now) = ("acme/once" + Guid.NewGuid().ToString("N")[..6], DateTimeOffset.UtcNow);
        await system.Ingest.RecordOutcomesAsync([
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = now.AddHours(-1),
                Kind = "pr_merged",
                Repo = repo,
                PrNumber = 5,
                User = "dev-once",
                Sha = Guid.NewGuid().ToString("N")[..12],
            },
        ]);
        var batch = new UsageChargedBatch
        {
            BatchId = Guid.NewGuid().ToString("N"),
            Items =
            [
                new UsageCharged
                {
                    UsageKey = "test/" + Guid.NewGuid().ToString("N"),
                    OccurredAt = now.AddHours(-2),
                    User = "dev-once",
                    Model = "m",
                    Tokens = new TokenCounts(100, 0, 0, 0, 10, 0),
                    Cost = new BucketCosts(1m, 0, 0, 0, 0.5m),
                    Context = new UsageContext { Repo = repo, PrNumber = 5 },
                },
            ],
        };
        var consumed = ConsumedMessages<UsageChargedBatch>.Watch(
            system.Outcomes.Services.GetRequiredService<IBus>(),
            m => m.BatchId == batch.BatchId
        );
        var bus = system.Accounting.Services.GetRequiredService<IBus>();
        await bus.Publish(batch);
        await bus.Publish(batch);
        await Eventually.Until(() => Task.FromResult(consumed.Count), n => n >= 2, "both deliveries to be handled");

        await using (var session = system.Outcomes.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var observed = await session.OfTypeAsync<UsageObserved>();
            Assert.Single(observed.SelectMany(o => o.Items), c => c.UsageKey == batch.Items[0].UsageKey);
        }
        var (owner, name) = (repo.Split('/')[0], repo.Split('/')[1]);
        var pr = await Eventually.Until(
            async () => (await system.Api.GetPrAsync(owner, name, 5)).Content,
            p => p?.Requests >= 1,
            "the usage to reach its PR"
        );
        Assert.Equal(1, pr!.Requests);
        Assert.Equal(1.5m, pr.CostUsd);
    }
}
