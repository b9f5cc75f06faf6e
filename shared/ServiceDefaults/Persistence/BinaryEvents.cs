using Marten;
using Marten.Events;
using MessagePack;
using MessagePack.Resolvers;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// Batch events (up to a thousand items each) are stored as MessagePack in <c>mt_events.bdata</c>, not as JSON in
/// <c>data</c>: PostgreSQL parsed every appended JSON body into jsonb and printed it again for every daemon read, a
/// ninth of all the CPU the system used under load (docs/benchmarks.md). Nothing queries inside these bodies; the
/// tables written in the same transactions hold what SQL readers need.
/// Fields are keyed by name, like JSON, so an event type can gain or lose a field and older rows still read.
/// </summary>
public sealed class BinaryEvents : IEventBinarySerializer
{
    public static readonly BinaryEvents Serializer = new();

    /// <summary>
    /// Contractless: public properties keyed by name, no attributes on the contracts. LZ4-compressed: a thousand items
    /// repeat the same thirty names, so a batch shrinks several times over, and every copy of it (the append, the daemons'
    /// reads, the RabbitMQ message, the garbage collector) shrinks with it.
    /// </summary>
    public static readonly MessagePackSerializerOptions Options = ContractlessStandardResolver.Options.WithCompression(
        MessagePackCompression.Lz4BlockArray
    );

    public byte[] Serialize(Type type, object data) => MessagePackSerializer.Serialize(type, data, Options);

    public object Deserialize(Type type, byte[] data) =>
        MessagePackSerializer.Deserialize(type, data, Options)
        ?? throw new InvalidOperationException($"An empty {type.Name} was stored");

    /// <summary>Stores events of type <typeparamref name="T"/> as MessagePack from now on.</summary>
    public static void Use<T>(StoreOptions options)
        where T : class => options.Events.UseBinarySerializer<T>(Serializer);
}
