using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Accounting.Tests.Usage;

/// <summary>Batch events are stored as MessagePack: every field must read back exactly, money to the last digit.</summary>
public sealed class StoredBatchEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 15, 123, TimeSpan.FromHours(5.5));

    private static readonly UsageContext Context = new()
    {
        Tool = "claude-code",
        SessionId = "s-1",
        AgentName = "reviewer",
        RequestId = "req-1",
        Repo = "acme/api",
        Branch = "feat/x",
        PrNumber = 42,
        CommitSha = "abc123",
        Tags = new Dictionary<string, string> { ["env"] = "prod", ["ü"] = "ß" },
    };

    private static UsageCharged Charge(string key, string? priceVersion) =>
        new()
        {
            UsageKey = key,
            OccurredAt = At,
            User = "ana",
            Team = priceVersion is null ? null : "payments",
            Provider = "anthropic",
            Model = "claude-sonnet-4-5",
            Tokens = new TokenCounts(1_200_000, 30, 40, 50, 60, 7),
            Cost = new BucketCosts(3.600000m, 0.0000090m, 0.00015m, 0.0003m, 0.00090m),
            PriceVersion = priceVersion,
            Context = priceVersion is null ? new UsageContext() : Context,
        };

    [Fact]
    public void A_recorded_batch_reads_back_as_it_was_written() =>
        ReadsBackAsWritten(
            new UsageRecordedBatch
            {
                BatchId = "b-1",
                Items =
                [
                    new UsageRecorded
                    {
                        Key = "gateway:1",
                        Source = "gateway",
                        Id = "1",
                        OccurredAt = At,
                        RecordedAt = At.AddSeconds(1),
                        User = "ana",
                        Team = "payments",
                        Provider = "openai",
                        Model = "gpt-5",
                        InputTokens = 1,
                        CacheReadTokens = 2,
                        CacheWriteTokens = 3,
                        CacheWrite1hTokens = 4,
                        OutputTokens = 5,
                        ReasoningTokens = 6,
                        ReportedCostUsd = 0.012340m,
                        Context = Context,
                    },
                    new UsageRecorded
                    {
                        Key = "gateway:2",
                        Source = "gateway",
                        Id = "2",
                        OccurredAt = At,
                        RecordedAt = At,
                        User = "bo",
                        Model = "unknown-model",
                    },
                ],
            }
        );

    [Fact]
    public void A_charged_batch_reads_back_as_it_was_written() =>
        ReadsBackAsWritten(
            new UsageChargedBatch
            {
                BatchId = "b-2",
                Items = [Charge("gateway:1", "2026-11-01"), Charge("gateway:2", null)],
            }
        );

    [Fact]
    public void A_repriced_batch_reads_back_as_it_was_written() =>
        ReadsBackAsWritten(
            new UsageRepricedBatch
            {
                BatchId = "b-3",
                Items =
                [
                    new UsageRepriced
                    {
                        Charge = Charge("gateway:1", "2026-11-02"),
                        PreviousCost = BucketCosts.Zero,
                        PreviousPriceVersion = "2026-11-01",
                    },
                ],
            }
        );

    [Fact]
    public void A_batch_stored_uncompressed_by_an_earlier_release_still_reads()
    {
        var written = new UsageChargedBatch
        {
            BatchId = "b-4",
            Items = [Charge("gateway:1", "2026-11-01"), Charge("gateway:2", null)],
        };
        var uncompressed = MessagePack.MessagePackSerializer.Serialize(
            written,
            MessagePack.Resolvers.ContractlessStandardResolver.Options
        );
        var read = (UsageChargedBatch)BinaryEvents.Serializer.Deserialize(typeof(UsageChargedBatch), uncompressed);
        Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(read));
    }

    [Fact]
    public void A_thousand_item_batch_is_stored_in_under_a_third_of_its_uncompressed_size()
    {
        var batch = new UsageChargedBatch
        {
            BatchId = "b-5",
            Items = Enumerable
                .Range(0, 1000)
                .Select(i => Charge($"gateway:{i}", "2026-11-01") with { User = $"user-{i % 50}" })
                .ToList(),
        };
        var uncompressed = MessagePack.MessagePackSerializer.Serialize(
            batch,
            MessagePack.Resolvers.ContractlessStandardResolver.Options
        );
        var stored = BinaryEvents.Serializer.Serialize(typeof(UsageChargedBatch), batch);
        Assert.True(
            stored.Length * 3 < uncompressed.Length,
            $"{stored.Length:N0} bytes stored, {uncompressed.Length:N0} uncompressed"
        );
        ReadsBackAsWritten(batch);
    }

    private static void ReadsBackAsWritten<T>(T written)
        where T : class
    {
        var read = (T)
            BinaryEvents.Serializer.Deserialize(typeof(T), BinaryEvents.Serializer.Serialize(typeof(T), written));
        Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(read));
    }
}
