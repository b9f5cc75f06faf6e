using System.Text.Json;
using System.Text.Json.Serialization;
using MessagePack;
using Tokenwise.Contracts;
using Tokenwise.ServiceDefaults.Persistence;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>
/// The items of a usage batch travel between services as MessagePack (base64 in the JSON message), not as a JSON array:
/// reading a thousand JSON objects was half the CPU of Outcomes and Alerting under load (docs/benchmarks.md). The rest
/// of the message (batch id, MassTransit's envelope) stays JSON. A JSON array is read too, so a message written by hand
/// (an operator's replay, a test) is consumed like any other.
/// </summary>
public sealed class BatchItemsEncoding<T> : JsonConverter<IReadOnlyList<T>>
{
    public override IReadOnlyList<T>? Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        reader.TokenType switch
        {
            JsonTokenType.String => MessagePackSerializer.Deserialize<T[]>(
                reader.GetBytesFromBase64(),
                BinaryEvents.Options
            ),
            JsonTokenType.Null => null,
            _ => JsonSerializer.Deserialize<List<T>>(ref reader, options),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(MessagePackSerializer.Serialize(value, BinaryEvents.Options));
}

public static class BatchItemsEncoding
{
    /// <summary>
    /// The item lists of the batch messages: recorded, charged and re-priced usage. First in the list, ahead of
    /// MassTransit's own converters; once, though MassTransit copies the options for each bus of a process.
    /// </summary>
    public static void AddTo(JsonSerializerOptions options)
    {
        if (options.Converters.OfType<BatchItemsEncoding<UsageRecorded>>().Any())
            return;
        options.Converters.Insert(0, new BatchItemsEncoding<UsageRecorded>());
        options.Converters.Insert(0, new BatchItemsEncoding<UsageCharged>());
        options.Converters.Insert(0, new BatchItemsEncoding<UsageRepriced>());
    }
}
