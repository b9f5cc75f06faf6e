using System.Text.Json;
using Tokenwise.Alerting.Watching;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Alerting.Tests.Watching;

/// <summary>Watched batches are stored as MessagePack: every field the watch rules read must come back exactly.</summary>
public sealed class StoredWatchesTests
{
    [Fact]
    public void A_watched_batch_reads_back_as_it_was_written()
    {
        var at = new DateTimeOffset(2026, 11, 2, 9, 30, 15, 123, TimeSpan.Zero);
        var written = new ChargesWatched("b-1",
        [
            new WatchedUsage("gateway:1", at, "ana", "payments", "claude-code", "s-1", null, 1_234_567, 0.0012340m),
            new WatchedUsage("gateway:2", at.AddMinutes(1), "bo", null, null, null, "reviewer", 0, 0m),
        ]);

        var read = (ChargesWatched)BinaryEvents.Serializer.Deserialize(typeof(ChargesWatched),
            BinaryEvents.Serializer.Serialize(typeof(ChargesWatched), written));

        Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(read));
        Assert.Equal(["s-1", "reviewer"], read.Items.Select(u => u.Lane));
    }
}
