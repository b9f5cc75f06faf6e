using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Pipeline;

/// <summary>Every correction reaches every figure derived from the charge: PR costs, efficiency, the value board, Alerting's minutes.</summary>
public sealed class CorrectionsTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private async Task MergedPrAsync(string repo, int number, string author) =>
        await system.Ingest.RecordOutcomesAsync([
            new OutcomeEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                OccurredAt = DateTimeOffset.UtcNow.AddSeconds(-30),
                Kind = "pr_merged",
                Repo = repo,
                PrNumber = number,
                User = author,
            },
        ]);

    [Fact]
    public async Task Two_discounts_in_a_row_and_a_back_dated_price_reach_every_figure_to_the_cent()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (repo, author) = ($"acme/c{run}", $"dev-{run}");
        var usedAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        await MergedPrAsync(repo, 1, author);
        // Four requests on the PR, each $2 of input and $0.80 of output at gpt-4.1's list price.
        await system.Ingest.RecordUsageBatchAsync(
            Enumerable
                .Range(0, 4)
                .Select(i => new UsageEvent
                {
                    Id = $"{run}-{i}",
                    OccurredAt = usedAt,
                    User = author,
                    Provider = "openai",
                    Model = "gpt-4.1",
                    InputTokens = 1_000_000,
                    OutputTokens = 100_000,
                    Repo = repo,
                    PrNumber = 1,
                    SessionId = $"s-{run}",
                })
                .ToList()
        );
        await AllFiguresAsync(author, repo, usedAt, 11.20m, "at list price");

        await system.Spend.SetDiscountAsync("openai", new DiscountRequest(10m, usedAt.AddDays(-1)));
        await AllFiguresAsync(author, repo, usedAt, 10.08m, "after a 10 % discount");
        // Same price version, another cost: a correction is named by its price book, not by the version pair.
        await system.Spend.SetDiscountAsync("openai", new DiscountRequest(20m, usedAt.AddDays(-1)));
        await AllFiguresAsync(author, repo, usedAt, 8.96m, "after the discount became 20 %");
        await system.Spend.SetPriceAsync("openai", "gpt-4.1", new PriceRequest(usedAt.AddDays(-2), 4m, 16m));
        await AllFiguresAsync(author, repo, usedAt, 17.92m, "after a back-dated price at twice the rates");
        await RolledUpTablesMatchTheirSourcesAsync();
    }

    /// <summary>The charge ledger holds the expected cost, and every figure derived from it says the same, to the cent.</summary>
    private async Task AllFiguresAsync(string user, string repo, DateTimeOffset usedAt, decimal expected, string when)
    {
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "accounting",
                    "select coalesce(sum(cost), 0) from {schema}.charges where user_id = @u",
                    ("u", user)
                ),
            c => c == expected,
            $"the charge ledger to hold ${expected} {when}"
        );
        var (owner, name) = (repo.Split('/')[0], repo.Split('/')[1]);
        await Eventually.Until(
            async () => (await system.Prs.GetPrAsync(owner, name, 1)).Content?.CostUsd,
            c => c == expected,
            $"the PR to cost ${expected} {when}"
        );
        var day = usedAt.UtcDateTime.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () =>
                (await system.Prs.GetEfficiencyAsync("user", day, day))
                    .Content!.Rows.SingleOrDefault(r => r.Group == user)
                    ?.SpendUsd,
            s => s == expected,
            $"/v1/efficiency to show ${expected} {when}"
        );
        var weekStart = IsoWeeks.MondayOf(DateOnly.FromDateTime(DateTime.UtcNow)).ToDateTime(TimeOnly.MinValue);
        var period = usedAt.UtcDateTime >= weekStart ? "week" : "month";
        await Eventually.Until(
            async () =>
                (await system.Prs.GetValueboardAsync(period, "user"))
                    .Content!.Rows.SingleOrDefault(r => r.Group == user)
                    ?.SpendUsd,
            s => s == expected,
            $"the value board to show ${expected} {when}"
        );
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "alerting",
                    "select coalesce(sum(cost), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                    ("u", user)
                ),
            c => c == expected,
            $"Alerting's minutes to add up to ${expected} {when}"
        );
        Assert.Equal(
            4m,
            await system.ScalarAsync(
                "alerting",
                "select coalesce(sum(requests), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                ("u", user)
            )
        );
    }

    [Fact]
    public async Task Corrections_that_overtake_their_charge_or_each_other_are_applied_once_the_charge_arrives()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (repo, author) = ($"acme/o{run}", $"early-{run}");
        await MergedPrAsync(repo, 1, author);
        var charge = new UsageCharged
        {
            UsageKey = $"gateway/{run}",
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            User = author,
            Provider = "openai",
            Model = "gpt-4.1",
            Tokens = new TokenCounts(500_000, 0, 0, 0, 0, 0),
            Cost = new BucketCosts(1.00m, 0, 0, 0, 0),
            PriceVersion = "v1",
            BookVersion = 1,
            Context = new UsageContext
            {
                Repo = repo,
                PrNumber = 1,
                SessionId = $"s-{run}",
            },
        };
        UsageRepriced Correction(decimal from, decimal to, long book) =>
            new()
            {
                Charge = charge with { Cost = new BucketCosts(to, 0, 0, 0, 0), BookVersion = book },
                PreviousCost = new BucketCosts(from, 0, 0, 0, 0),
                PreviousPriceVersion = "v1",
            };
        var bus = system.Accounting.Services.GetRequiredService<IBus>();
        bool Mine(UsageRepricedBatch b) => b.Items.Any(i => i.Charge.UsageKey == charge.UsageKey);
        var watched = ConsumedMessages<UsageRepricedBatch>.Watch(
            system.Alerting.Services.GetRequiredService<IBus>(),
            Mine
        );
        var observed = ConsumedMessages<UsageRepricedBatch>.Watch(
            system.Outcomes.Services.GetRequiredService<IBus>(),
            Mine
        );
        Task Publish(params UsageRepriced[] items) =>
            bus.Publish(
                new UsageRepricedBatch
                {
                    BatchId = BatchIds.Of(items.Select(i => i.Charge.UsageKey + i.Charge.BookVersion)),
                    Items = items,
                }
            );

        // Accounting corrected $1.00 to $0.85 (book 2), then to $0.70 (book 3); the later one arrives first, before the charge.
        await Publish(Correction(0.85m, 0.70m, 3));
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "outcomes",
                    "select cost from {schema}.usage_facts where usage_key = @k",
                    ("k", charge.UsageKey)
                ),
            c => c == 0.70m,
            "Outcomes to keep the early correction"
        );
        await bus.Publish(new UsageChargedBatch { BatchId = BatchIds.Of([charge.UsageKey]), Items = [charge] });
        await Publish(Correction(1.00m, 0.85m, 2));
        await Publish(Correction(0.85m, 0.70m, 3)); // and a redelivery
        await Eventually.Until(
            () => Task.FromResult((watched.Count, observed.Count)),
            n => n == (3, 3),
            "both services to take all three corrections"
        );

        await Eventually.Until(
            async () => (await system.Prs.GetPrAsync("acme", $"o{run}", 1)).Content?.CostUsd,
            c => c == 0.70m,
            "the PR to cost what the latest correction says"
        );
        Assert.Equal(1m, (await system.Prs.GetPrAsync("acme", $"o{run}", 1)).Content!.Requests);
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "alerting",
                    "select coalesce(sum(cost), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                    ("u", author)
                ),
            c => c == 0.70m,
            "Alerting's minutes to add the charge and both corrections once each"
        );
        Assert.Equal(
            1m,
            await system.ScalarAsync(
                "alerting",
                "select coalesce(sum(requests), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                ("u", author)
            )
        );
        await RolledUpTablesMatchTheirSourcesAsync();
    }

    /// <summary>The rolled-up tables (what whole-day spend, efficiency and PR costs read) moved with every correction.</summary>
    private async Task RolledUpTablesMatchTheirSourcesAsync()
    {
        var postgres = system.Environment.Servers.Postgres;
        Assert.Equal(
            0,
            await Outcomes.DailyUsageCheck.MismatchesAsync(postgres, system.Environment.Schema("outcomes"))
        );
        Assert.Equal(
            0,
            await Accounting.DailySpendCheck.MismatchesAsync(postgres, system.Environment.Schema("accounting"))
        );
    }
}
