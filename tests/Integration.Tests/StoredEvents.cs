using JasperFx.Events;
using Marten;
using Marten.Events;

namespace Tokenwise.Integration.Tests;

/// <summary>
/// Events of one type as a service stored them. Marten's QueryRawEventDataOnly reads only the JSON column, and batch
/// events are stored as MessagePack (BinaryEvents), so this reads whole events.
/// </summary>
internal static class StoredEvents
{
    public static async Task<IReadOnlyList<T>> OfTypeAsync<T>(this IQuerySession session)
        where T : class => (await session.EventsOfTypeAsync<T>()).Select(e => (T)e.Data).ToList();

    /// <summary>The same, with each event's sequence number and stream.</summary>
    public static async Task<IReadOnlyList<IEvent>> EventsOfTypeAsync<T>(this IQuerySession session)
        where T : class =>
        await session
            .Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(T)))
            .OrderBy(e => e.Sequence)
            .ToListAsync();
}
