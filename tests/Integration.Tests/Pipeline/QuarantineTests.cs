using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Pipeline;

/// <summary>One bad item costs only itself, in every service, and comes back once its cause is fixed.</summary>
public sealed class QuarantineTests(WholePipeline system) : IClassFixture<WholePipeline>
{
    private static UsageRecorded Usage(
        string source,
        string id,
        string user,
        string run,
        string? team = null,
        string? session = null
    ) =>
        new()
        {
            Key = $"{source}/{id}",
            Source = source,
            Id = id,
            OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            RecordedAt = DateTimeOffset.UtcNow,
            User = user,
            Team = team ?? "team-" + run,
            Provider = "openai",
            Model = "gpt-4.1",
            InputTokens = 10_000,
            OutputTokens = 1_000,
            Context = new UsageContext { SessionId = session ?? "s-" + run, Tool = "gateway" },
        };

    private static (string, object) Batch(params UsageRecorded[] items) =>
        (
            "intake:" + Guid.NewGuid().ToString("N"),
            new UsageRecordedBatch { BatchId = BatchIds.Of(items.Select(i => i.Key)), Items = items }
        );

    [Fact]
    public async Task Poisoned_items_in_merged_batches_from_several_keys_are_quarantined_where_they_fail_and_every_good_item_counts_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var good = Enumerable
            .Range(0, 15)
            .SelectMany(i =>
                new[]
                {
                    Usage("alpha", $"{run}-a{i}", $"good-a-{run}", run),
                    Usage("beta", $"{run}-b{i}", $"good-b-{run}", run),
                }
            )
            .ToList();
        // Refused by PostgreSQL anywhere it is written (a NUL byte): Accounting cannot charge it.
        var nul = Usage("alpha", $"{run}-nul", $"nul-{run}", run, team: "a\u0000b");
        // Charged by Accounting (which indexes no session), refused by the session indexes of Outcomes and Alerting.
        var random = new Random(7);
        var longSession = Usage(
            "beta",
            $"{run}-long",
            $"long-{run}",
            run,
            session: new string(Enumerable.Range(0, 8_000).Select(_ => (char)random.Next(0x21, 0x7e)).ToArray())
        );
        var alpha = good.Where(u => u.Source == "alpha").Append(nul).ToArray();
        var beta = good.Where(u => u.Source == "beta").Append(longSession).ToArray();

        // Two senders' batches committed together: the relay merges them into one message. Then the same again, as a
        // relay that crashed before saving its progress would send them.
        await WholePipeline.AppendAsync(system.Ingestion, Batch(alpha), Batch(beta));
        await WholePipeline.AppendAsync(system.Ingestion, Batch(alpha), Batch(beta));

        var accounting = await Eventually.Until(
            () => WholePipeline.QuarantineAsync(system.Accounting),
            q => q.Any(i => i.ItemKey == nul.Key),
            "Accounting to quarantine the item it cannot charge"
        );
        var outcomes = await Eventually.Until(
            () => WholePipeline.QuarantineAsync(system.Outcomes),
            q => q.Any(i => i.ItemKey == longSession.Key),
            "Outcomes to quarantine the item it cannot index"
        );
        var alerting = await Eventually.Until(
            () => WholePipeline.QuarantineAsync(system.Alerting),
            q => q.Any(i => i.ItemKey == longSession.Key),
            "Alerting to quarantine the item it cannot index"
        );
        Assert.Equal([nul.Key], accounting.Where(i => i.ItemKey.Contains(run)).Select(i => i.ItemKey));
        Assert.Contains("0x00", accounting.Single(i => i.ItemKey == nul.Key).Reason);
        Assert.Equal([longSession.Key], outcomes.Where(i => i.ItemKey.Contains(run)).Select(i => i.ItemKey));
        Assert.Equal([longSession.Key], alerting.Where(i => i.ItemKey.Contains(run)).Select(i => i.ItemKey));

        // Every good item once, in every service; the long-session one in Accounting too.
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        foreach (var user in new[] { $"good-a-{run}", $"good-b-{run}" })
        {
            var row = await Eventually.Until(
                async () =>
                    (await system.Spend.GetSpendAsync("user", day, day)).Content!.Rows.SingleOrDefault(r =>
                        r.Group["user"] == user
                    ),
                r => r?.Figures.Requests == 15,
                $"{user}'s 15 requests charged once"
            );
            Assert.Equal(15 * 0.028m, row!.Figures.CostUsd);
            await Eventually.Until(
                () =>
                    system.ScalarAsync(
                        "outcomes",
                        "select count(*) from {schema}.usage_facts where user_id = @u",
                        ("u", user)
                    ),
                n => n == 15,
                $"Outcomes to hold {user}'s 15 requests once"
            );
            await Eventually.Until(
                () =>
                    system.ScalarAsync(
                        "alerting",
                        "select coalesce(sum(requests), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                        ("u", user)
                    ),
                n => n == 15,
                $"Alerting to watch {user}'s 15 requests once"
            );
            Assert.Equal(
                15 * 0.028m,
                await system.ScalarAsync(
                    "alerting",
                    "select sum(cost) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                    ("u", user)
                )
            );
        }
        Assert.Equal(
            1m,
            await system.ScalarAsync(
                "accounting",
                "select count(*) from {schema}.charges where user_id = @u",
                ("u", $"long-{run}")
            )
        );
        Assert.Equal(
            0m,
            await system.ScalarAsync(
                "accounting",
                "select count(*) from {schema}.charges where user_id = @u",
                ("u", $"nul-{run}")
            )
        );

        // Each service that set something aside has a critical pipeline alert naming it.
        var alerts = await Eventually.Until(
            async () => (await system.Alerts.ListAlertsAsync(kind: "pipeline")).Content!,
            list =>
                new[] { "accounting", "outcomes", "alerting" }.All(s =>
                    list.Any(a => a.Scope.Type == "service" && a.Scope.Id == s)
                ),
            "a pipeline alert for each service that quarantined"
        );
        Assert.All(alerts.Where(a => a.Scope.Type == "service"), a => Assert.Equal("critical", a.Severity));
        // And each one's readiness says what it holds, while it stays ready.
        using var ops = WholePipeline.Ops(system.Accounting);
        var ready = await Eventually.Until(
            async () =>
            {
                using var answer = await ops.GetAsync("/health/ready");
                using var document = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
                var pipeline = document.RootElement.GetProperty("checks").GetProperty("pipeline");
                return (
                    answer.StatusCode,
                    Held: pipeline.TryGetProperty("data", out var data)
                        ? data.GetProperty("quarantinedItems").GetInt32()
                        : 0
                );
            },
            r => r.Held >= 1,
            "Accounting's readiness to count its quarantine"
        );
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_quarantined_item_replayed_after_its_cause_is_fixed_counts_once_everywhere()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var blocked = $"blocked-{run}";
        // A fault of Accounting's own, standing in for a bug: its ledger refuses one user.
        await system.ExecuteAsync(
            "accounting",
            $"alter table {{schema}}.charges add constraint block_{run} check (user_id <> '{blocked}')"
        );
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        UsageEvent Event(string user) =>
            new()
            {
                Id = $"{run}-{user}",
                OccurredAt = now,
                User = user,
                Model = "gpt-4.1",
                Provider = "openai",
                InputTokens = 10_000,
                OutputTokens = 1_000,
            };
        var sent = await system.Ingest.RecordUsageBatchAsync([
            Event(blocked),
            Event($"fine-{run}"),
            Event($"also-fine-{run}"),
        ]);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var held = await Eventually.Until(
            () => WholePipeline.QuarantineAsync(system.Accounting),
            q => q.Any(i => i.ItemKey == $"bootstrap/{run}-{blocked}"),
            "the refused usage in Accounting's quarantine"
        );
        Assert.Contains($"block_{run}", held.Single(i => i.ItemKey == $"bootstrap/{run}-{blocked}").Reason);
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () =>
                (await system.Spend.GetSpendAsync("user", day, day)).Content!.Rows.Count(r =>
                    r.Group["user"].EndsWith($"fine-{run}")
                ),
            n => n == 2,
            "the rest of the batch charged"
        );

        await system.ExecuteAsync("accounting", $"alter table {{schema}}.charges drop constraint block_{run}");
        using var ops = WholePipeline.Ops(system.Accounting);
        var replayOne =
            $"/v1/ops/quarantine/replay?id={Uri.EscapeDataString(held.Single(i => i.ItemKey.Contains(blocked)).Id)}";
        var replay = await ops.PostAsync(replayOne, null);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<ReplayResult>())!.Replayed);
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "outcomes",
                    "select count(*) from {schema}.usage_facts where user_id = @u",
                    ("u", blocked)
                ),
            n => n == 1,
            "the replayed usage to reach Outcomes"
        );
        await Eventually.Until(
            () =>
                system.ScalarAsync(
                    "alerting",
                    "select coalesce(sum(requests), 0) from {schema}.spend_minutes where scope_type = 'user' and scope_id = @u",
                    ("u", blocked)
                ),
            n => n == 1,
            "the replayed usage to reach Alerting"
        );
        // A second replay finds it no longer held; a replay of what got through would count nothing twice anyway.
        Assert.Equal(
            0,
            (await (await ops.PostAsync(replayOne, null)).Content.ReadFromJsonAsync<ReplayResult>())!.Replayed
        );
        Assert.Equal(
            1m,
            await system.ScalarAsync(
                "accounting",
                "select count(*) from {schema}.charges where user_id = @u",
                ("u", blocked)
            )
        );
        Assert.Equal(
            QuarantinedItemReplayed,
            (await WholePipeline.QuarantineAsync(system.Accounting)).Single(i => i.ItemKey.Contains(blocked)).Status
        );
    }

    private const string QuarantinedItemReplayed = "replayed";

    private sealed record ReplayResult(int Replayed);
}
