using System.Data;
using Marten;
using Marten.Services;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>The open transaction a write runs in: append events to the session, or run SQL on the connection.</summary>
public sealed record WriteContext(IDocumentSession Session, NpgsqlConnection Connection, NpgsqlTransaction Transaction);

/// <summary>
/// Writes events for idempotency keys not seen before, in one transaction: the keys are claimed with
/// <c>insert … on conflict do nothing returning key</c> and the events appended, then both commit together. A
/// failed write claims nothing, so a retry is accepted; a concurrent writer of the same key waits for ours and then
/// sees it as a duplicate. One transaction per batch keeps a batch of 1,000 events one round of commits.
/// </summary>
public sealed class IdempotentWriter(IDocumentStore store, TokenwiseSettings settings)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// Claims <paramref name="keys"/>; calls <paramref name="append"/> with the ones that were new (never with an
    /// empty set) to add events to the session; commits. Returns the new keys.
    /// </summary>
    public Task<IReadOnlySet<string>> WriteOnceAsync(
        IEnumerable<string> keys,
        Action<IReadOnlySet<string>, IDocumentSession> append,
        CancellationToken ct
    ) =>
        WriteOnceAsync(
            keys,
            (fresh, write) =>
            {
                append(fresh, write.Session);
                return Task.CompletedTask;
            },
            ct
        );

    /// <summary>
    /// Writes the items not seen before, each known by its key: calls <paramref name="write"/> with those items (in
    /// their order, never empty) inside the transaction that claims their keys. Returns them.
    /// </summary>
    public async Task<IReadOnlyList<T>> WriteOnceAsync<T>(
        IReadOnlyList<T> items,
        Func<T, string> keyOf,
        Func<IReadOnlyList<T>, WriteContext, Task> write,
        CancellationToken ct
    )
    {
        IReadOnlyList<T> fresh = [];
        await WriteOnceAsync(
            items.Select(keyOf),
            async (claimed, context) =>
            {
                fresh = items.Where(item => claimed.Contains(keyOf(item))).ToList();
                await write(fresh, context);
            },
            ct
        );
        return fresh;
    }

    /// <summary>As above, for a write that also needs to read or write in the same transaction.</summary>
    public async Task<IReadOnlySet<string>> WriteOnceAsync(
        IEnumerable<string> keys,
        Func<IReadOnlySet<string>, WriteContext, Task> append,
        CancellationToken ct
    )
    {
        // Sorted, so two batches sharing keys lock them in the same order and cannot deadlock each other.
        var sorted = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        IReadOnlySet<string> fresh = new HashSet<string>();
        if (sorted.Length == 0)
            return fresh;
        await WriteAsync(
            async write =>
            {
                fresh = await ClaimAsync(settings.Schema, sorted, write.Connection, write.Transaction, ct);
                if (fresh.Count > 0)
                    await append(fresh, write);
            },
            ct
        );
        return fresh;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction and commits it with the events it appended, retrying a
    /// deadlock. For writers whose own table's primary key is the claim (<c>insert … on conflict do nothing
    /// returning</c>), so a second claims table would only repeat it.
    /// </summary>
    public async Task WriteAsync(Func<WriteContext, Task> write, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TryWriteAsync(write, ct);
                return;
            }
            catch (PostgresException e)
                when (attempt < MaxAttempts
                    && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                ) { }
        }
    }

    private async Task TryWriteAsync(Func<WriteContext, Task> write, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.PostgresConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
        await write(new WriteContext(session, connection, transaction));
        await session.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Claims keys inside an open transaction; returns the ones nobody had claimed.</summary>
    public static async Task<HashSet<string>> ClaimAsync(
        string schema,
        string[] sortedKeys,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken ct
    )
    {
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        await using var claim = new NpgsqlCommand(
            $"""
            insert into {schema}.{ClaimedKeysTable.Name} (key)
            select k
            from unnest(@keys) as k
            order by k
            on conflict do nothing
            returning key
            """,
            connection,
            transaction
        );
        claim.Parameters.AddWithValue("keys", sortedKeys);
        await using var reader = await claim.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            fresh.Add(reader.GetString("key"));
        return fresh;
    }
}
