using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tokenwise.ServiceDefaults.Validation;

/// <summary>
/// Reads typed fields from one JSON object, recording a field error (with the item's path) for every value of the
/// wrong type or range, so one response names every problem instead of the first.
/// </summary>
public sealed partial class JsonFields(JsonElement item, string path, ValidationErrors errors)
{
    public ValidationErrors Errors => errors;

    public string Name(string field) => path + field;

    public void Fail(string field, string message) => errors.Add(Name(field), message);

    public bool Has(string field) => TryGet(field, out _);

    public string? Text(string field, int maxLength = 200, bool required = false)
    {
        if (!TryGet(field, out var value))
        {
            if (required) Fail(field, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(field, "must be a string");
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required) Fail(field, "must not be empty");
            return null;
        }
        if (text.Length > maxLength)
        {
            Fail(field, $"must be at most {maxLength} characters");
            return null;
        }
        return text;
    }

    /// <summary>A token count: a JSON integer ≥ 0; absent means 0.</summary>
    public long Count(string field)
    {
        if (!TryGet(field, out var value)) return 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0) return count;
        Fail(field, "must be an integer ≥ 0");
        return 0;
    }

    public int? PositiveInt(string field)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0) return number;
        Fail(field, "must be a positive integer");
        return null;
    }

    public bool? Flag(string field)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Fail(field, "must be true or false");
        return null;
    }

    public decimal? Money(string field)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var amount) && amount >= 0) return amount;
        Fail(field, "must be a decimal number ≥ 0");
        return null;
    }

    /// <summary>An RFC 3339 timestamp that states its offset ("Z" or "+02:00"); a bare local time is ambiguous.</summary>
    public DateTimeOffset? Timestamp(string field, bool required)
    {
        var text = Text(field, 64, required);
        if (text is null) return null;
        if (Rfc3339().IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return parsed;
        Fail(field, "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-02T14:03:00Z");
        return null;
    }

    public IReadOnlyDictionary<string, string>? StringMap(string field, int maxEntries)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(field, "must be an object of string values");
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String || entry.Name.Length > 100 || entry.Value.GetString()!.Length > 500)
            {
                Fail($"{field}.{entry.Name}", "must be a string (keys ≤ 100, values ≤ 500 characters)");
                continue;
            }
            map[entry.Name] = entry.Value.GetString()!;
        }
        if (map.Count > maxEntries) Fail(field, $"must have at most {maxEntries} entries");
        return map;
    }

    public IReadOnlyList<string>? TextList(string field, int maxItems, int maxLength = 200)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems ||
            value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Length > maxLength))
        {
            Fail(field, $"must be an array of at most {maxItems} strings");
            return null;
        }
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public bool TryGet(string field, out JsonElement value) =>
        item.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
