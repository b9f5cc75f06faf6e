using System.Globalization;
using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// OTLP/JSON attributes (<c>[{"key":…,"value":{"stringValue":…}}]</c>) read leniently, as real senders require:
/// a number may come as intValue (a JSON number or a decimal string), stringValue or doubleValue. A value that is not
/// valid text reads as absent and is remembered in <see cref="Malformed"/>, so the record can be skipped.
/// </summary>
internal sealed class OtlpAttributes
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _malformed = new(StringComparer.Ordinal);

    public OtlpAttributes(JsonElement? owner, OtlpAttributes? parent = null)
    {
        if (parent is not null)
            foreach (var (key, value) in parent._values)
                _values[key] = value;
        if (
            owner is not { ValueKind: JsonValueKind.Object } o
            || !o.TryGetProperty("attributes", out var list)
            || list.ValueKind != JsonValueKind.Array
        )
            return;
        foreach (var attribute in list.EnumerateArray())
            if (
                attribute.ValueKind == JsonValueKind.Object
                && attribute.TryGetProperty("key", out var key)
                && key.ValueKind == JsonValueKind.String
                && JsonFields.TryGetString(key, out var name)
                && attribute.TryGetProperty("value", out var value)
                && value.ValueKind == JsonValueKind.Object
            )
                _values[name] = value;
    }

    /// <summary>Attributes this record named whose value was not valid Unicode text.</summary>
    public IReadOnlySet<string> Malformed => _malformed;

    public string? String(string key)
    {
        if (!_values.TryGetValue(key, out var value))
            return null;
        foreach (var property in value.EnumerateObject())
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    if (JsonFields.TryGetString(property.Value, out var text))
                        return text;
                    _malformed.Add(key);
                    return null;
                case JsonValueKind.Number:
                    return property.Value.GetRawText();
                case JsonValueKind.True or JsonValueKind.False:
                    return property.Value.GetRawText();
            }
        return null;
    }

    /// <summary>
    /// A whole number, truncated; beyond long's range it reads as long's bound, so the intake rules refuse it rather
    /// than it wrapping around or throwing.
    /// </summary>
    public long? Long(string key)
    {
        var text = String(key);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return number > long.MaxValue ? long.MaxValue
                : number < long.MinValue ? long.MinValue
                : (long)decimal.Truncate(number);
        // Beyond decimal's range (about 7.9e28) a number still parses as a double (or an infinity).
        return
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && !double.IsNaN(big)
            ? big > 0
                ? long.MaxValue
                : long.MinValue
            : null;
    }

    public decimal? Decimal(string key) =>
        decimal.TryParse(String(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    public string? First(params string[] keys) =>
        keys.Select(String).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
