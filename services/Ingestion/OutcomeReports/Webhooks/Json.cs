using System.Globalization;
using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.OutcomeReports.Webhooks;

/// <summary>Null-safe navigation through a vendor's webhook payload: a missing or mistyped field reads as null.</summary>
internal static class Json
{
    public static JsonElement? At(JsonElement root, params string[] path)
    {
        var current = root;
        foreach (var name in path)
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return null;
        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    /// <summary>A string; one .NET cannot hold (an escaped lone surrogate) reads as missing.</summary>
    public static string? Str(JsonElement root, params string[] path) =>
        At(root, path) is { ValueKind: JsonValueKind.String } e && JsonFields.TryGetString(e, out var text)
            ? text
            : null;

    public static int? Int(JsonElement root, params string[] path) =>
        At(root, path) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out var n) ? n : null;

    public static bool? Bool(JsonElement root, params string[] path) =>
        At(root, path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } e ? e.GetBoolean() : null;

    public static DateTimeOffset? Time(JsonElement root, params string[] path) =>
        DateTimeOffset.TryParse(
            Str(root, path),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out var at
        )
            ? at
            : null;

    public static IEnumerable<JsonElement> Items(JsonElement root, params string[] path) =>
        At(root, path) is { ValueKind: JsonValueKind.Array } e ? e.EnumerateArray() : [];

    public static IReadOnlyList<string> LabelNames(JsonElement root, params string[] path) =>
        Items(root, path).Select(label => Str(label, "name")).OfType<string>().ToList();
}
