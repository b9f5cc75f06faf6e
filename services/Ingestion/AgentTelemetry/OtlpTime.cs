using System.Globalization;
using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

internal static class OtlpTime
{
    /// <summary>A unix-nanosecond field, written as a decimal string or a number; null when absent or zero.</summary>
    public static DateTimeOffset? FromUnixNanos(JsonElement owner, string field)
    {
        if (Property(owner, field) is not { } value)
            return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => JsonFields.TryGetString(value, out var digits) ? digits : null,
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var nanos) || nanos == 0)
            return null;
        return DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
    }

    public static DateTimeOffset? FromText(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>A field of an object; null when the owner is not an object or has no such field (senders send anything).</summary>
    public static JsonElement? Property(JsonElement? owner, string field) =>
        owner is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(field, out var value) ? value : null;

    public static IEnumerable<JsonElement> Array(JsonElement? owner, string field) =>
        owner is { ValueKind: JsonValueKind.Object } o
        && o.TryGetProperty(field, out var list)
        && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];
}
