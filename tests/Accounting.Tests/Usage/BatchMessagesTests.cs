using System.Text.Json;
using System.Text.Json.Serialization;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Messaging;

namespace Tokenwise.Accounting.Tests.Usage;

/// <summary>Batch messages carry their items as MessagePack inside the JSON message, and still read JSON arrays.</summary>
public sealed class BatchMessagesTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        BatchItemsEncoding.AddTo(options);
        BatchItemsEncoding.AddTo(options);
        return options;
    }

    private static readonly UsageChargedBatch Batch = new()
    {
        BatchId = "b-1",
        Items =
        [
            new UsageCharged
            {
                UsageKey = "gateway:1",
                OccurredAt = new DateTimeOffset(2026, 11, 2, 9, 30, 15, TimeSpan.FromHours(2)),
                User = "ana",
                Team = "payments",
                Model = "gpt-5",
                Tokens = new TokenCounts(1, 2, 3, 4, 5, 6),
                Cost = new BucketCosts(0.000125m, 0, 0, 0, 0.0100m),
                PriceVersion = "v1",
                Context = new UsageContext
                {
                    SessionId = "s-1",
                    Tags = new Dictionary<string, string> { ["env"] = "prod" },
                },
            },
        ],
    };

    [Fact]
    public void A_charged_batch_is_sent_with_its_items_packed_and_reads_back_as_it_was_sent()
    {
        var json = JsonSerializer.Serialize(Batch, Options);

        using (var document = JsonDocument.Parse(json))
        {
            Assert.Equal("b-1", document.RootElement.GetProperty("BatchId").GetString());
            Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("Items").ValueKind);
        }
        Assert.Equal(
            JsonSerializer.Serialize(Batch),
            JsonSerializer.Serialize(JsonSerializer.Deserialize<UsageChargedBatch>(json, Options))
        );
        Assert.Single(Options.Converters.OfType<BatchItemsEncoding<UsageCharged>>());
    }

    [Fact]
    public void A_batch_whose_items_are_a_JSON_array_is_still_read()
    {
        var plain = JsonSerializer.Serialize(Batch);

        var read = JsonSerializer.Deserialize<UsageChargedBatch>(plain, Options)!;

        Assert.Equal(plain, JsonSerializer.Serialize(read));
    }
}
