using Marten;
using Marten.Exceptions;
using Tokenwise.ServiceDefaults;

namespace Tokenwise.Ingestion.Idempotency;

/// <summary>An event to store once: its stream key is its idempotency key.</summary>
public sealed record KeyedEvent(string StreamKey, object Event);

public sealed record AppendResult(int Accepted, int Duplicates);

/// <summary>
/// Stores each keyed event at most once. Every new event starts its own stream keyed by its idempotency key, all in
/// one transaction, so a key is "claimed" only by a committed write: a failed write leaves nothing behind and a
/// retry is accepted. A concurrent request that commits one of the keys first makes our commit collide; we then
/// check again which keys are new.
/// </summary>
public sealed class IdempotentAppender(IDocumentStore store, TokenwiseSettings settings)
{
    private const int MaxAttempts = 3;

    public async Task<AppendResult> AppendNewAsync(IReadOnlyList<KeyedEvent> events, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAppendAsync(events, ct);
            }
            catch (ExistingStreamIdCollisionException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    private async Task<AppendResult> TryAppendAsync(IReadOnlyList<KeyedEvent> events, CancellationToken ct)
    {
        var unique = events.DistinctBy(e => e.StreamKey).ToList();
        await using var session = store.LightweightSession();
        var keys = unique.Select(e => e.StreamKey).ToArray();
        var existing = (await session.AdvancedSql.QueryAsync<string>(
            $"select id from {settings.Schema}.mt_streams where id = any(?)", ct, [keys])).ToHashSet();

        var fresh = unique.Where(e => !existing.Contains(e.StreamKey)).ToList();
        foreach (var keyed in fresh) session.Events.StartStream(keyed.StreamKey, keyed.Event);
        if (fresh.Count > 0) await session.SaveChangesAsync(ct);
        return new AppendResult(fresh.Count, events.Count - fresh.Count);
    }
}
