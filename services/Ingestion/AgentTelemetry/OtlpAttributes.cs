using System.Globalization;
using System.Text.Json;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// OTLP/JSON attributes (<c>[{"key":…,"value":{"stringValue":…}}]</c>) read leniently, as real senders require:
/// a number may come as intValue (a JSON number or a decimal string), stringValue or doubleValue.
/// </summary>
internal sealed class OtlpAttributes
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    public OtlpAttributes(JsonElement owner, OtlpAttributes? parent = null)
    {
        if (parent is not null)
            foreach (var (key, value) in parent._values) _values[key] = value;
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty("attributes", out var list) ||
            list.ValueKind != JsonValueKind.Array) return;
        foreach (var attribute in list.EnumerateArray())
            if (attribute.ValueKind == JsonValueKind.Object &&
                attribute.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String &&
                attribute.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object)
                _values[key.GetString()!] = value;
    }

    public string? String(string key)
    {
        if (!_values.TryGetValue(key, out var value)) return null;
        foreach (var property in value.EnumerateObject())
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String: return property.Value.GetString();
                case JsonValueKind.Number: return property.Value.GetRawText();
                case JsonValueKind.True or JsonValueKind.False: return property.Value.GetRawText();
            }
        return null;
    }

    public long? Long(string key) =>
        decimal.TryParse(String(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? (long)decimal.Truncate(number)
            : null;

    public decimal? Decimal(string key) =>
        decimal.TryParse(String(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    public string? First(params string[] keys) => keys.Select(String).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
