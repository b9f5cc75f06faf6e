using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Operations;

/// <summary>
/// An item set aside by <see cref="ItemIsolation"/>: which queue's consumer refused it, why, and the message that
/// replays it alone (the item as a batch of one, or the single message it was).
/// </summary>
public sealed class QuarantinedItem
{
    public const string Held = "quarantined";
    public const string Replayed = "replayed";

    public string Id { get; set; } = "";
    public string Service { get; set; } = "";
    public string Queue { get; set; } = "";
    public string MessageType { get; set; } = "";
    public string ItemKey { get; set; } = "";
    public string Reason { get; set; } = "";
    public string? ExceptionType { get; set; }

    /// <summary>
    /// The replayable message: JSON of <see cref="MessageType"/>, base64-encoded, because what could not be stored as
    /// text (a NUL byte, say) must still be kept as it came.
    /// </summary>
    public string MessageJsonBase64 { get; set; } = "";
    public string Status { get; set; } = Held;
    public DateTimeOffset QuarantinedAt { get; set; }
    public DateTimeOffset? ReplayedAt { get; set; }
    public int Replays { get; set; }

    /// <summary>The queue and item, readable, with a hash of the whole key: a key may be too long or too odd to be an id itself.</summary>
    public static string IdOf(string queue, string itemKey) =>
        $"{queue}/{Readable(itemKey, 120)}#{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(itemKey)))[..16]}";

    /// <summary>Text that can be stored and shown whatever the item held: no control characters or lone surrogates, bounded.</summary>
    public static string Readable(string text, int maxChars)
    {
        var builder = new System.Text.StringBuilder(Math.Min(text.Length, maxChars));
        for (var i = 0; i < text.Length && builder.Length < maxChars; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                builder.Append(c).Append(text[++i]);
            else
                builder.Append(
                    char.IsControl(c) ? ' '
                    : char.IsSurrogate(c) ? '\uFFFD'
                    : c
                );
        }
        return builder.Length < text.Length ? builder.Append('…').ToString() : builder.ToString();
    }
}

/// <summary>What a consumer knows of an item it must set aside.</summary>
public sealed record QuarantineRequest(string Queue, string ItemKey, object Message, Exception Failure);

/// <summary>
/// Keeps quarantined items (a Marten document each) and announces each one once, in the same transaction, with
/// <see cref="ItemQuarantined"/>: an item that fails again after a replay is announced again. Replaying sends the
/// stored message back to its queue; every consumer is idempotent, so a replay of something that did get through
/// counts nothing twice.
/// </summary>
public sealed class Quarantine(
    IDocumentStore store,
    IdempotentWriter writer,
    TokenwiseSettings settings,
    ISendEndpointProvider send,
    TimeProvider clock,
    ILogger<Quarantine> logger
)
{
    public const int MaxReasonLength = 1_000;
    public const int PageLimit = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task AddAsync(QuarantineRequest request, CancellationToken ct)
    {
        var id = QuarantinedItem.IdOf(request.Queue, request.ItemKey);
        var itemKey = QuarantinedItem.Readable(request.ItemKey, MaxReasonLength);
        var reason = QuarantinedItem.Readable(request.Failure.GetBaseException().Message, MaxReasonLength);
        logger.LogError(
            request.Failure,
            "Quarantined {ItemKey} from {Queue}: {Reason}",
            itemKey,
            request.Queue,
            reason
        );
        await using var read = store.QuerySession();
        var replays = (await read.LoadAsync<QuarantinedItem>(id, ct))?.Replays ?? 0;
        // Claimed per replay: a redelivery of the same failure is not announced twice; a failure after a replay is.
        await writer.WriteOnceAsync(
            [$"quarantine:{id}@{replays}"],
            async (_, write) =>
            {
                var now = clock.GetUtcNow();
                var item = await write.Session.LoadAsync<QuarantinedItem>(id, ct) ?? new QuarantinedItem { Id = id };
                item.Service = settings.ServiceName;
                item.Queue = request.Queue;
                item.MessageType = request.Message.GetType().FullName!;
                item.ItemKey = itemKey;
                item.Reason = reason;
                item.ExceptionType = request.Failure.GetBaseException().GetType().FullName;
                item.MessageJsonBase64 = Convert.ToBase64String(
                    JsonSerializer.SerializeToUtf8Bytes(request.Message, request.Message.GetType(), Json)
                );
                item.Status = QuarantinedItem.Held;
                item.QuarantinedAt = now;
                write.Session.Store(item);
                var held =
                    await write
                        .Session.Query<QuarantinedItem>()
                        .CountAsync(i => i.Status == QuarantinedItem.Held && i.Id != id, ct) + 1;
                write.Session.Events.Append(
                    $"quarantine:{id}",
                    new ItemQuarantined
                    {
                        Service = settings.ServiceName,
                        Queue = request.Queue,
                        MessageType = item.MessageType,
                        ItemKey = itemKey,
                        Reason = reason,
                        Quarantined = held,
                        QuarantinedAt = now,
                    }
                );
            },
            ct
        );
    }

    /// <summary>
    /// Newest first (then by id), at most <paramref name="limit"/>; after the item <paramref name="after"/> names (when
    /// given: its time and id), so a page boundary between two items of the same moment loses neither.
    /// </summary>
    public async Task<IReadOnlyList<QuarantinedItem>> ListAsync(
        string? status,
        (DateTimeOffset At, string Id)? after,
        int limit,
        CancellationToken ct
    )
    {
        await using var session = store.QuerySession();
        var query = session.Query<QuarantinedItem>().AsQueryable();
        if (status is not null)
            query = query.Where(i => i.Status == status);
        if (after is var (at, id))
            query = query.Where(i => i.QuarantinedAt < at || (i.QuarantinedAt == at && string.Compare(i.Id, id) < 0));
        return await query
            .OrderByDescending(i => i.QuarantinedAt)
            .ThenByDescending(i => i.Id)
            .Take(limit)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Sends held items (all, or the one with this id) back to their queues; returns how many. Only items held when the
    /// replay began: one that fails again while the replay goes on is held again, not sent round in a loop.
    /// </summary>
    public async Task<int> ReplayAsync(string? id, CancellationToken ct)
    {
        var replayed = 0;
        var began = clock.GetUtcNow();
        while (true)
        {
            await using var session = store.LightweightSession();
            var query = session
                .Query<QuarantinedItem>()
                .Where(i => i.Status == QuarantinedItem.Held && i.QuarantinedAt <= began);
            if (id is not null)
                query = query.Where(i => i.Id == id);
            var page = await query.OrderBy(i => i.QuarantinedAt).Take(PageLimit).ToListAsync(ct);
            foreach (var item in page)
            {
                var type =
                    typeof(ItemQuarantined).Assembly.GetType(item.MessageType)
                    ?? throw new InvalidOperationException(
                        $"{item.Id} holds an unknown message type {item.MessageType}"
                    );
                var message = JsonSerializer.Deserialize(Convert.FromBase64String(item.MessageJsonBase64), type, Json)!;
                // Through the queue's own exchange (which MassTransit binds to it alone): a send to "queue:" would
                // declare the queue as a classic one, which the broker refuses for a quorum queue.
                var endpoint = await send.GetSendEndpoint(new Uri($"exchange:{item.Queue}"));
                await endpoint.Send(message, type, ct);
                item.Status = QuarantinedItem.Replayed;
                item.ReplayedAt = clock.GetUtcNow();
                item.Replays++;
                session.Store(item);
            }
            await session.SaveChangesAsync(ct);
            replayed += page.Count;
            if (page.Count < PageLimit)
                return replayed;
        }
    }
}
