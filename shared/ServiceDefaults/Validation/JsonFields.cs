using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Tokenwise.ServiceDefaults.Validation;

/// <summary>
/// Reads typed fields from one JSON object, recording a field error (with the item's path) for every value of the
/// wrong type or range, so one response names every problem instead of the first.
/// </summary>
public sealed partial class JsonFields(JsonElement item, string path, ValidationErrors errors)
{
    public const int MapKeyBytes = 100;
    public const int MapValueBytes = 500;

    public ValidationErrors Errors => errors;

    public string Name(string field) => path + field;

    public void Fail(string field, string message) => errors.Add(Name(field), message);

    public bool Has(string field) => TryGet(field, out _);

    /// <summary>A string, trimmed, obeying <see cref="TextRules"/> with a cap of <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public string? Text(string field, int maxBytes = TextRules.IdentifierBytes, bool required = false)
    {
        if (!TryGet(field, out var value))
        {
            if (required)
                Fail(field, "is required");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(field, "must be a string");
            return null;
        }
        if (!TryGetString(value, out var raw))
        {
            Fail(field, InvalidUnicode);
            return null;
        }
        var text = raw.Trim();
        if (text.Length == 0)
        {
            if (required)
                Fail(field, "must not be empty");
            return null;
        }
        if (TextRules.Problem(text, maxBytes) is { } problem)
        {
            Fail(field, problem);
            return null;
        }
        return text;
    }

    /// <summary>A count: a JSON integer from 0 to <paramref name="max"/>; absent means 0.</summary>
    public long Count(string field, long max = long.MaxValue)
    {
        if (!TryGet(field, out var value))
            return 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0)
        {
            if (count <= max)
                return count;
            Fail(field, $"must be at most {max.ToString("N0", CultureInfo.InvariantCulture)}");
            return 0;
        }
        Fail(
            field,
            "must be an integer ≥ 0"
                + (max < long.MaxValue ? $" and at most {max.ToString("N0", CultureInfo.InvariantCulture)}" : "")
        );
        return 0;
    }

    public int? PositiveInt(string field)
    {
        if (!TryGet(field, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0)
            return number;
        Fail(field, "must be a positive integer");
        return null;
    }

    public bool? Flag(string field)
    {
        if (!TryGet(field, out var value))
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Fail(field, "must be true or false");
        return null;
    }

    /// <summary>An amount of money: a JSON number from 0 to <paramref name="max"/>.</summary>
    public decimal? Money(string field, decimal max = decimal.MaxValue)
    {
        if (!TryGet(field, out var value))
            return null;
        if (
            value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var amount)
            && amount >= 0
            && amount <= max
        )
            return amount;
        Fail(
            field,
            "must be a decimal number ≥ 0"
                + (max < decimal.MaxValue ? $" and at most {max.ToString("N0", CultureInfo.InvariantCulture)}" : "")
        );
        return null;
    }

    /// <summary>An RFC 3339 timestamp that states its offset ("Z" or "+02:00"); a bare local time is ambiguous.</summary>
    public DateTimeOffset? Timestamp(string field, bool required)
    {
        var text = Text(field, 64, required);
        if (text is null)
            return null;
        if (
            Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
        )
            return parsed;
        Fail(field, "must be an RFC 3339 timestamp with an offset, e.g. 2026-11-02T14:03:00Z");
        return null;
    }

    public IReadOnlyDictionary<string, string>? StringMap(string field, int maxEntries)
    {
        if (!TryGet(field, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(field, "must be an object of string values");
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            // The key is named in the error only when it is itself acceptable text.
            var key = TryGetName(entry, out var name) && TextRules.IsAcceptable(name, MapKeyBytes) ? name : null;
            if (
                key is null
                || entry.Value.ValueKind != JsonValueKind.String
                || !TryGetString(entry.Value, out var text)
                || !TextRules.IsAcceptable(text, MapValueBytes)
            )
            {
                Fail(
                    $"{field}.{key ?? "(key)"}",
                    $"must be text (keys at most {MapKeyBytes} bytes, values {MapValueBytes}, no control characters)"
                );
                continue;
            }
            map[key] = text;
        }
        if (map.Count > maxEntries)
            Fail(field, $"must have at most {maxEntries} entries");
        return map;
    }

    public IReadOnlyList<string>? TextList(string field, int maxItems, int maxBytes = TextRules.IdentifierBytes)
    {
        if (!TryGet(field, out var value))
            return null;
        if (
            value.ValueKind != JsonValueKind.Array
            || value.GetArrayLength() > maxItems
            || value
                .EnumerateArray()
                .Any(v =>
                    v.ValueKind != JsonValueKind.String
                    || !TryGetString(v, out var text)
                    || !TextRules.IsAcceptable(text, maxBytes)
                )
        )
        {
            Fail(
                field,
                $"must be an array of at most {maxItems} strings, each at most {maxBytes} bytes of text without control characters"
            );
            return null;
        }
        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    private const string InvalidUnicode = "must be valid Unicode text (it holds a lone surrogate)";

    /// <summary>
    /// A JSON string's text. JSON may escape half a surrogate pair ("\ud800"), which .NET refuses to turn into a string:
    /// that is the sender's invalid input, not our failure.
    /// </summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>A property's name, which JSON may escape as invalidly as a value (see <see cref="TryGetString"/>).</summary>
    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    public bool TryGet(string field, out JsonElement value) =>
        item.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
