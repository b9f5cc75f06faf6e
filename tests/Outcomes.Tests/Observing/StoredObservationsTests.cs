using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Outcomes.Observing;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Outcomes.Tests.Observing;

/// <summary>Observations are stored as MessagePack: every usage_facts field must read back exactly.</summary>
public sealed class StoredObservationsTests
{
    [Fact]
    public void An_observation_reads_back_as_it_was_written()
    {
        var at = new DateTimeOffset(2026, 11, 2, 9, 30, 15, 123, TimeSpan.FromHours(-3));
        var written = new UsageObserved([
            new ObservedUsage(
                "gateway:1",
                at,
                "ana",
                "payments",
                "acme/api",
                "feat/x",
                42,
                "abc123",
                "s-1",
                new TokenCounts(1, 2, 3, 4, 5, 6),
                0.0012340m
            ),
            new ObservedUsage("gateway:2", at, "bo", null, null, null, null, null, null, TokenCounts.Zero, 0m),
        ]);

        var read = (UsageObserved)
            BinaryEvents.Serializer.Deserialize(
                typeof(UsageObserved),
                BinaryEvents.Serializer.Serialize(typeof(UsageObserved), written)
            );

        Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(read));
    }
}
