using System.Globalization;
using System.Text.Json;

namespace Tokenwise.Ingestion.AgentTelemetry;

internal static class OtlpTime
{
    /// <summary>A unix-nanosecond field, written as a decimal string or a number; null when absent or zero.</summary>
    public static DateTimeOffset? FromUnixNanos(JsonElement owner, string field)
    {
        if (!owner.TryGetProperty(field, out var value)) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (!ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var nanos) || nanos == 0) return null;
        return DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
    }

    public static DateTimeOffset? FromText(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    public static IEnumerable<JsonElement> Array(JsonElement owner, string field) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];
}
