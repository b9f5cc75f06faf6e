using Microsoft.Extensions.DependencyInjection;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.Integration.Tests.Ingestion;

/// <summary>The guard behind "each id once": keys claimed in the transaction that writes their events.</summary>
public sealed class IdempotentWriterTests(IngestionSystem system) : IClassFixture<IngestionSystem>
{
    private IdempotentWriter NewWriter() =>
        system.Ingestion.Services.CreateScope().ServiceProvider.GetRequiredService<IdempotentWriter>();

    private sealed record Marker(string Key);

    [Fact]
    public async Task Concurrent_writers_of_overlapping_keys_commit_each_key_exactly_once()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => "test:" + Guid.NewGuid().ToString("N")).ToList();
        var stream = "test-stream:" + Guid.NewGuid().ToString("N");
        // Six writers, each with the keys in a different order, all at once.
        var results = await Task.WhenAll(
            Enumerable
                .Range(0, 6)
                .Select(w =>
                    NewWriter()
                        .WriteOnceAsync(
                            keys.OrderBy(k => unchecked(k.GetHashCode() * (w + 1)) % 97).ToList(),
                            (claimed, session) =>
                            {
                                foreach (var key in claimed)
                                    session.Events.Append(stream, new Marker(key));
                            },
                            default
                        )
                )
        );

        Assert.Equal(keys.Order(), results.SelectMany(r => r).Order());
        await using var session = system.Ingestion.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var written = (await session.Events.FetchStreamAsync(stream)).Select(e => ((Marker)e.Data).Key).ToList();
        Assert.Equal(keys.Order(), written.Order());
    }

    [Fact]
    public async Task A_write_that_fails_claims_nothing_so_a_retry_is_accepted()
    {
        var key = "test:" + Guid.NewGuid().ToString("N");
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            NewWriter()
                .WriteOnceAsync([key], (_, _) => throw new InvalidOperationException("the append failed"), default)
        );

        var retried = await NewWriter()
            .WriteOnceAsync(
                [key],
                (claimed, session) =>
                    session.Events.Append("test-stream:" + Guid.NewGuid().ToString("N"), new Marker(key)),
                default
            );
        Assert.Equal([key], retried);
    }
}
